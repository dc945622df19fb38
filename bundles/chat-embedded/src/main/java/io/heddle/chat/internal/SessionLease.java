package io.heddle.chat.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The soft writer lease of a session: the writer that wrote last holds it for the lease
 * duration after its last write. It is cooperative (writers name themselves), so it keeps two
 * honest writers from interleaving; it is not an access control.
 *
 * @param process the holder's process when a client on this machine named it
 *                ({@code Heddle-Client-Process}); a lease whose process has ended is free at once
 */
record SessionLease(String holder, Instant renewedAt, Optional<ClientProcess> process) {

    SessionLease {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(renewedAt, "renewedAt");
        process = process == null ? Optional.empty() : process;
    }

    SessionLease(String holder, Instant renewedAt) {
        this(holder, renewedAt, Optional.empty());
    }

    Instant expiresAt(Duration duration) {
        return renewedAt.plus(duration);
    }

    /** Whether another writer must wait: the lease is still running at {@code now}. */
    boolean freshAt(Instant now, Duration duration) {
        return now.isBefore(expiresAt(duration));
    }
}
