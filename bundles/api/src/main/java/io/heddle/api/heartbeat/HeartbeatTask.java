package io.heddle.api.heartbeat;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A durable heartbeat task of one workspace, stored as
 * {@code <stateRoot>/heartbeat/tasks/<id>.json}.
 *
 * @param id               the task id (letters, digits, {@code . _ -})
 * @param name             a display name, or null
 * @param task             the instruction: what the task is for, handed to the runner
 * @param enabled          whether it runs on its schedule
 * @param continuationMode who continues it after a pause or an escalation
 * @param runner           the runner kind (the {@value HeartbeatTaskRunner#KIND} of a runner service)
 * @param runnerConfig     a JSON object handed to the runner (maps, lists, strings, numbers, booleans)
 * @param schedule         the interval and the next slot
 * @param state            where it stands
 * @param createdAt        when it was created
 * @param updatedAt        when it was last changed
 * @param extraFields      the members of the stored task that this version does not know (e.g. the
 *                         reference's {@code model}, {@code maxSteps}, {@code checkpoint}), as read:
 *                         a JSON object of the task's shape holding only those members (an unknown
 *                         member of {@code schedule} or {@code state} sits in an object under that
 *                         key). Stores write them back unchanged whenever they rewrite the task.
 */
public record HeartbeatTask(
        String id,
        String name,
        String task,
        boolean enabled,
        ContinuationMode continuationMode,
        String runner,
        Map<String, Object> runnerConfig,
        HeartbeatSchedule schedule,
        HeartbeatTaskState state,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> extraFields) {

    /** The runner kind of a task stored without a {@code runner}: the reference's model-run tasks. */
    public static final String AGENT_RUNNER = "agent";

    public HeartbeatTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(state, "state");
        continuationMode = continuationMode == null ? ContinuationMode.OPERATOR : continuationMode;
        runnerConfig = runnerConfig == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(runnerConfig));
        extraFields = extraFields == null || extraFields.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(extraFields));
    }

    /** A task without {@link #extraFields()} (the constructor of version 1.1 of this package). */
    public HeartbeatTask(
            String id,
            String name,
            String task,
            boolean enabled,
            ContinuationMode continuationMode,
            String runner,
            Map<String, Object> runnerConfig,
            HeartbeatSchedule schedule,
            HeartbeatTaskState state,
            Instant createdAt,
            Instant updatedAt) {
        this(
                id,
                name,
                task,
                enabled,
                continuationMode,
                runner,
                runnerConfig,
                schedule,
                state,
                createdAt,
                updatedAt,
                Map.of());
    }

    public HeartbeatTask withState(HeartbeatTaskState next) {
        return new HeartbeatTask(
                id,
                name,
                task,
                enabled,
                continuationMode,
                runner,
                runnerConfig,
                schedule,
                next,
                createdAt,
                updatedAt,
                extraFields);
    }

    public HeartbeatTask withSchedule(HeartbeatSchedule next) {
        return new HeartbeatTask(
                id,
                name,
                task,
                enabled,
                continuationMode,
                runner,
                runnerConfig,
                next,
                state,
                createdAt,
                updatedAt,
                extraFields);
    }

    public HeartbeatTask withUpdatedAt(Instant when) {
        return new HeartbeatTask(
                id,
                name,
                task,
                enabled,
                continuationMode,
                runner,
                runnerConfig,
                schedule,
                state,
                createdAt,
                when,
                extraFields);
    }
}
