package io.heddle.api.heartbeat.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A server's request to run one due occurrence {@code (taskId, dueAt)}.
 *
 * @param taskId   the task
 * @param dueAt    the occurrence the caller found due (the store refuses when the task's due
 *                 time moved, i.e. someone ran it or changed it meanwhile)
 * @param owner    the server id of the caller
 * @param runId    the id of the run the caller will start
 * @param leaseTtl how long the lease lasts without renewal, by the store's clock
 */
public record ClaimRequest(String taskId, Instant dueAt, String owner, String runId, Duration leaseTtl) {

    public ClaimRequest {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(leaseTtl, "leaseTtl");
    }
}
