package io.heddle.api.heartbeat;

import java.util.Locale;
import java.util.Optional;

/**
 * What a runner decides at the end of a run. The scheduler maps it onto the task:
 * <table>
 * <caption>decision to task status</caption>
 * <tr><th>decision</th><th>task status</th><th>next run</th></tr>
 * <tr><td>{@link #CONTINUE}</td><td>{@code idle}</td><td>the next slot of its interval</td></tr>
 * <tr><td>{@link #PAUSE}</td><td>{@code waiting} (needs resume)</td><td>after an explicit resume</td></tr>
 * <tr><td>{@link #COMPLETE}</td><td>{@code complete}</td><td>none (a resume starts it again)</td></tr>
 * <tr><td>{@link #ESCALATE}</td><td>{@code blocked} (needs resume)</td><td>after an operator resume</td></tr>
 * </table>
 * A runner that throws does not decide: the task becomes {@code failed} and is retried after a
 * backoff.
 */
public enum HeartbeatDecision {
    CONTINUE,
    PAUSE,
    COMPLETE,
    ESCALATE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HeartbeatDecision> fromWireName(String name) {
        if (name != null) {
            for (HeartbeatDecision d : values()) {
                if (d.wireName().equals(name)) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }
}
