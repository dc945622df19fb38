package io.heddle.api.heartbeat;

import java.util.Locale;
import java.util.Optional;

/**
 * Who may continue a task that paused or escalated. The core scheduler only acts on
 * {@link #OPERATOR} (an explicit resume); {@link #AGENT} is kept and handed to runners for
 * agent-driven continuation, which the core does not implement.
 */
public enum ContinuationMode {
    OPERATOR,
    AGENT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ContinuationMode> fromWireName(String name) {
        if (name != null) {
            for (ContinuationMode m : values()) {
                if (m.wireName().equals(name)) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
    }
}
