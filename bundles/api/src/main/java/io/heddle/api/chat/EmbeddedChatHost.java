package io.heddle.api.chat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerStartException;
import java.time.Duration;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The embedded-chat host: runs one {@code embedded-chat} server through the
 * {@link io.heddle.api.lifecycle.ControlPlaneLifecycle} while its configuration
 * ({@code io.heddle.chat.embedded}) says so and the lifecycle service is present. It closes
 * the server when the lifecycle goes away and starts a new one when it returns. The
 * {@code heddle chat} command drives it; it never exits the process.
 */
@ProviderType
public interface EmbeddedChatHost {

    /** The running server, if any (never a closed one). */
    Optional<ServerHandle> server();

    /** Why the latest start failed, while no server runs. */
    Optional<ServerStartException> lastFailure();

    /**
     * Waits until a server runs or the latest start attempt failed.
     *
     * @return the running server; empty on timeout or failure (then see {@link #lastFailure()})
     */
    Optional<ServerHandle> awaitServer(Duration timeout) throws InterruptedException;
}
