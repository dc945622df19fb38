package io.heddle.api.lifecycle;

import io.heddle.api.registry.ServerRecord;
import java.util.Objects;
import java.util.Optional;

/** A server did not start; everything it had done was undone. The message says why and what to do. */
public class ServerStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Another program listens on the port. */
        PORT_IN_USE,
        /** The assets folder has no {@code index.html}. */
        ASSETS_MISSING,
        /** The HTTP runtime did not come up in time for another reason. */
        HTTP_UNAVAILABLE,
        /** The registry could not be locked, read or written. */
        REGISTRY_UNAVAILABLE,
        /** A fresh other server holds the live record (with {@link OwnershipPolicy#CLAIM}). */
        OWNER_CONFLICT,
        /** Bad options or any other failure. */
        OTHER
    }

    private final Reason reason;
    private final transient ServerRecord liveServer;

    public ServerStartException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null);
    }

    public ServerStartException(Reason reason, String message, Throwable cause, ServerRecord liveServer) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.liveServer = liveServer;
    }

    public Reason reason() {
        return reason;
    }

    /** For {@link Reason#OWNER_CONFLICT}: the fresh server that holds the live record. */
    public Optional<ServerRecord> liveServer() {
        return Optional.ofNullable(liveServer);
    }
}
