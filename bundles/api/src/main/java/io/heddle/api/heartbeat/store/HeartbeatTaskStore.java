package io.heddle.api.heartbeat.store;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A place that keeps heartbeat tasks: the built-in file store, or a service another bundle
 * registers (the scheduler then uses that service for every workspace of the server, and the
 * file store again when it goes away).
 *
 * <p>Implementations must be thread-safe; {@link #workspace} is called often and should be
 * cheap (a handle, not a connection).
 */
@ConsumerType
public interface HeartbeatTaskStore {

    /** Service property: the store's kind, as in {@link TaskStoreDescription#kind()} (e.g. {@code postgresql}). */
    String KIND = "heddle.heartbeat.store.kind";

    /** What this store is, and whether it can be used now; never blocks for long, never names a secret. */
    TaskStoreDescription describe();

    /** The tasks of one workspace of this server. */
    WorkspaceTaskStore workspace(TaskWorkspace workspace);
}
