package io.heddle.api.heartbeat;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs the heartbeat task schedulers of one server: one scheduler per workspace in the
 * server's catalog. The lifecycle starts a session per handle, syncs it on every live-record
 * heartbeat and stops it on close.
 */
@ProviderType
public interface HeartbeatSchedulerHost {

    /** Starts schedulers for the catalog of {@code stateRoot} on behalf of {@code serverId}. */
    Session start(String serverId, Path workspaceRoot, Path stateRoot);

    /** The schedulers of one server. */
    @ProviderType
    interface Session {
        /** Starts schedulers for workspaces new to the catalog and stops removed ones. */
        void sync();

        /** Lets running tasks finish up to a timeout, then interrupts them; idempotent. */
        void stop();
    }
}
