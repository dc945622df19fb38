package io.heddle.api.heartbeat;

import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.util.Collection;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/** What one server's live-record heartbeat works on, supplied by the lifecycle. */
@ConsumerType
public interface HeartbeatTarget {

    /** The registry the server recorded itself in. */
    DaemonRegistry registry();

    /** The server's record as it claimed it; each tick writes it with a new {@code lastSeenAt}. */
    ServerRecord record();

    /** The workspaces to re-register on every tick. */
    Collection<WorkspaceDescriptor> workspaces();

    /** Called after every tick, e.g. to sync the task scheduler host. Must not throw. */
    void afterTick();

    /**
     * Called once per change of ownership.
     *
     * @param owner        whether this server holds the live record now
     * @param currentOwner the record that holds it (ours, another server's, or none)
     */
    void ownershipChanged(boolean owner, Optional<ServerRecord> currentOwner);
}
