package io.heddle.api.heartbeat.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The hold of one server on one due occurrence of a task, while its run lasts.
 *
 * @param taskId       the task
 * @param runId        the run the holder started under this lease
 * @param owner        the server id of the holder
 * @param fencingToken identifies this claim: a newer claim of the task carries a greater token.
 *                     Outcomes are accepted only with the token of the task's current claim.
 * @param dueAt        the occurrence claimed (the slot, or the time of a run request)
 * @param acquiredAt   when it was claimed, by the store's clock
 * @param expiresAt    when it lapses unless renewed, by the store's clock; callers must not compare
 *                     it with their own clock to decide anything but when to renew
 */
public record HeartbeatLease(
        String taskId,
        String runId,
        String owner,
        long fencingToken,
        Instant dueAt,
        Instant acquiredAt,
        Instant expiresAt) {

    public HeartbeatLease {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(owner, "owner");
    }
}
