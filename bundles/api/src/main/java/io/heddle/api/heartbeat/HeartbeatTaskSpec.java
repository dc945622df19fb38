package io.heddle.api.heartbeat;

import java.util.Map;
import java.util.Objects;

/**
 * A task to create, already checked for shape at the edge where it was parsed (e.g. the HTTP
 * API). The task service checks the runner configuration with the runner, when installed.
 */
public record HeartbeatTaskSpec(
        String name,
        String task,
        boolean enabled,
        ContinuationMode continuationMode,
        long intervalMs,
        String runner,
        Map<String, Object> runnerConfig) {

    public HeartbeatTaskSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(runner, "runner");
        continuationMode = continuationMode == null ? ContinuationMode.OPERATOR : continuationMode;
        runnerConfig = runnerConfig == null ? Map.of() : runnerConfig;
    }
}
