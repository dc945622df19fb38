package io.heddle.api.heartbeat;

import java.util.Map;

/**
 * A change to a task: each non-null field replaces the task's value. Changing the interval
 * moves the next slot to one interval from now; enabling a disabled task does the same.
 */
public record HeartbeatTaskPatch(
        String name,
        String task,
        Boolean enabled,
        ContinuationMode continuationMode,
        Long intervalMs,
        String runner,
        Map<String, Object> runnerConfig) {

    public boolean isEmpty() {
        return name == null
                && task == null
                && enabled == null
                && continuationMode == null
                && intervalMs == null
                && runner == null
                && runnerConfig == null;
    }
}
