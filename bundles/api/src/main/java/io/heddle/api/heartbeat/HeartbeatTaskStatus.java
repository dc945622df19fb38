package io.heddle.api.heartbeat;

import java.util.Locale;
import java.util.Optional;

/** Where a heartbeat task stands. The wire name is the lower-case constant name. */
public enum HeartbeatTaskStatus {
    /** Waits for its next scheduled run. */
    IDLE,
    /** A run is in progress (held by the lease of one server). */
    RUNNING,
    /** Waits for something outside the schedule: an operator resume, or a runner to be installed. */
    WAITING,
    /** The runner escalated: runs again only after an operator resume. */
    BLOCKED,
    /** The runner declared the task done: no more runs unless resumed. */
    COMPLETE,
    /** The last run failed; it is retried after a backoff. */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HeartbeatTaskStatus> fromWireName(String name) {
        if (name != null) {
            for (HeartbeatTaskStatus s : values()) {
                if (s.wireName().equals(name)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }
}
