package io.heddle.api.heartbeat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a runner answers for one run: its decision, a one-line summary for the operator, and
 * optional details (a JSON object: maps, lists, strings, numbers, booleans) kept with the run.
 */
public record HeartbeatRunResult(HeartbeatDecision decision, String summary, Map<String, Object> details) {

    public HeartbeatRunResult {
        Objects.requireNonNull(decision, "decision");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static HeartbeatRunResult of(HeartbeatDecision decision, String summary) {
        return new HeartbeatRunResult(decision, summary, Map.of());
    }
}
