package io.heddle.heartbeat.internal;

import java.time.Instant;

/**
 * Who runs a task right now: {@code <stateRoot>/heartbeat/leases/<taskId>.json}. The owner
 * renews it while the run lasts; once {@code expiresAt} has passed, any scheduler may take the
 * task over (the owner crashed or slept), and the run it left is recorded as interrupted.
 */
record TaskLease(String taskId, String owner, long pid, String runId, Instant acquiredAt, Instant expiresAt) {

    boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** Whether this lease keeps {@code serverId} from running the task at {@code now}. */
    boolean blocks(String serverId, Instant now) {
        return !owner.equals(serverId) && !expired(now);
    }
}
