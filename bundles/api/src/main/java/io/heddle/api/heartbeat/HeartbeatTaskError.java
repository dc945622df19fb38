package io.heddle.api.heartbeat;

import java.time.Instant;
import java.util.Objects;

/**
 * A failure to record a task's run or state (e.g. a full disk), shown in the task's state
 * once the store can be written again.
 *
 * @param at      when it happened
 * @param message what could not be recorded, where, and the operating system's cause
 */
public record HeartbeatTaskError(Instant at, String message) {

    public HeartbeatTaskError {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(message, "message");
    }
}
