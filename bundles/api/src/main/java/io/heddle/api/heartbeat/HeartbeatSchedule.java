package io.heddle.api.heartbeat;

import java.time.Instant;

/**
 * When a task runs: every {@code intervalMs}; {@code nextRunAt} is the next slot (null once
 * the task is complete). A missed slot (downtime, sleep) runs once, then the schedule moves
 * to the next slot after now.
 */
public record HeartbeatSchedule(long intervalMs, Instant nextRunAt) {

    public HeartbeatSchedule {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("intervalMs must be positive: " + intervalMs);
        }
    }
}
