package io.heddle.api.heartbeat;

import java.util.Locale;
import java.util.Optional;

/** How one run ended (or that it is still going). */
public enum HeartbeatRunStatus {
    /** Started and not finished yet. */
    RUNNING,
    /** The runner returned a decision. */
    FINISHED,
    /** The runner threw, timed out, or could not start. */
    FAILED,
    /** The server stopped (or vanished) before the run finished; the task runs again later. */
    INTERRUPTED,
    /**
     * The run finished after its lease had lapsed and another server had claimed the task: its
     * outcome was recorded but not applied to the task (since 2.0).
     */
    SUPERSEDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HeartbeatRunStatus> fromWireName(String name) {
        if (name != null) {
            for (HeartbeatRunStatus s : values()) {
                if (s.wireName().equals(name)) {
                    return Optional.of(s);
                }
            }
        }
        return Optional.empty();
    }
}
