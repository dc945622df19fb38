package io.heddle.api.heartbeat.store;

import io.heddle.api.heartbeat.HeartbeatTask;
import java.util.Objects;

/**
 * A granted claim.
 *
 * @param lease the lease the caller holds now
 * @param task  the task as stored by the claim (its state running, with the claim's run id)
 */
public record TaskClaim(HeartbeatLease lease, HeartbeatTask task) {

    public TaskClaim {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(task, "task");
    }
}
