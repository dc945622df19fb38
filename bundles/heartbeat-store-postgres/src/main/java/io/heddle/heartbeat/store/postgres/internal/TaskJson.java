package io.heddle.heartbeat.store.postgres.internal;

import io.heddle.api.heartbeat.ContinuationMode;
import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskError;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.records.internal.RecordJson;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Tasks and runs as the JSON text of a row's {@code body} column: the file store's shape, with
 * instants at full precision (claims compare due times exactly) and every member this version
 * does not know kept ({@link HeartbeatTask#extraFields()}).
 */
final class TaskJson {

    /** A body that cannot be read back. */
    static final class BadBody extends Exception {
        private static final long serialVersionUID = 1L;

        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    private TaskJson() {}

    /** The file store's shape ({@link RecordJson#task}), instants at full precision. */
    static String encodeTask(HeartbeatTask t) {
        return JsonTree.writeCompact(RecordJson.task(t, TaskJson::text));
    }

    static HeartbeatTask decodeTask(String body) throws BadBody {
        Map<String, Object> m = object(body);
        try {
            Map<String, Object> schedule = JsonFields.object(m.get("schedule"));
            Map<String, Object> state = JsonFields.object(m.get("state"));
            if (schedule == null || state == null) {
                throw new BadBody("schedule or state is missing");
            }
            Map<String, Object> extra = new LinkedHashMap<>();
            unknown(m, RecordJson.TASK_MEMBERS, extra);
            Map<String, Object> scheduleExtra = new LinkedHashMap<>();
            unknown(schedule, RecordJson.SCHEDULE_MEMBERS, scheduleExtra);
            if (!scheduleExtra.isEmpty()) {
                extra.put("schedule", scheduleExtra);
            }
            Map<String, Object> stateExtra = new LinkedHashMap<>();
            unknown(state, RecordJson.STATE_MEMBERS, stateExtra);
            if (!stateExtra.isEmpty()) {
                extra.put("state", stateExtra);
            }
            Map<String, Object> lastError = JsonFields.object(state.get("lastError"));
            Long failures = JsonFields.integer(state, "failures");
            HeartbeatTaskState taskState = new HeartbeatTaskState(
                    HeartbeatTaskStatus.fromWireName(JsonFields.string(state, "status"))
                            .orElseThrow(() -> new BadBody("state.status is not a status")),
                    JsonFields.string(state, "progress"),
                    instant(state, "runAt"),
                    JsonFields.string(state, "result"),
                    JsonFields.string(state, "error"),
                    instant(state, "updatedAt"),
                    JsonFields.string(state, "needs"),
                    JsonFields.string(state, "message"),
                    failures == null ? 0 : failures.intValue(),
                    JsonFields.string(state, "lastRunId"),
                    instant(state, "runRequestedAt"),
                    lastError == null
                            ? null
                            : new HeartbeatTaskError(
                                    instant(lastError, "at"), JsonFields.string(lastError, "message")));
            Long interval = JsonFields.integer(schedule, "intervalMs");
            if (interval == null) {
                throw new BadBody("schedule.intervalMs is missing");
            }
            Map<String, Object> runnerConfig = JsonFields.object(m.get("runnerConfig"));
            Boolean enabled = JsonFields.bool(m, "enabled");
            return new HeartbeatTask(
                    JsonFields.string(m, "id"),
                    JsonFields.string(m, "name"),
                    JsonFields.string(m, "task"),
                    enabled != null && enabled,
                    ContinuationMode.fromWireName(JsonFields.string(m, "continuationMode"))
                            .orElse(null),
                    JsonFields.string(m, "runner"),
                    runnerConfig,
                    new HeartbeatSchedule(interval, instant(schedule, "nextRunAt")),
                    taskState,
                    instant(m, "createdAt"),
                    instant(m, "updatedAt"),
                    extra);
        } catch (RuntimeException e) {
            throw new BadBody(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The file store's shape ({@link RecordJson#run}), instants at full precision. */
    static String encodeRun(HeartbeatRun r) {
        return JsonTree.writeCompact(RecordJson.run(r, TaskJson::text));
    }

    static HeartbeatRun decodeRun(String body) throws BadBody {
        Map<String, Object> m = object(body);
        try {
            return new HeartbeatRun(
                    JsonFields.string(m, "id"),
                    JsonFields.string(m, "taskId"),
                    JsonFields.string(m, "workspaceId"),
                    JsonFields.string(m, "serverId"),
                    JsonFields.string(m, "runner"),
                    JsonFields.string(m, "trigger"),
                    instant(m, "dueAt"),
                    instant(m, "startedAt"),
                    instant(m, "finishedAt"),
                    HeartbeatRunStatus.fromWireName(JsonFields.string(m, "status"))
                            .orElseThrow(() -> new BadBody("status is not a run status")),
                    HeartbeatDecision.fromWireName(JsonFields.string(m, "decision"))
                            .orElse(null),
                    JsonFields.string(m, "summary"),
                    JsonFields.object(m.get("details")),
                    JsonFields.string(m, "error"));
        } catch (RuntimeException e) {
            throw new BadBody(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Map<String, Object> object(String body) throws BadBody {
        try {
            Map<String, Object> m = JsonFields.object(JsonTree.parse(body.getBytes(StandardCharsets.UTF_8)));
            if (m == null) {
                throw new BadBody("not a JSON object");
            }
            return m;
        } catch (JsonTree.MalformedJsonException e) {
            throw new BadBody(e.getMessage());
        }
    }

    private static void unknown(Map<String, Object> m, Set<String> known, Map<String, Object> into) {
        m.forEach((k, v) -> {
            if (!known.contains(k)) {
                into.put(k, v);
            }
        });
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(Map<String, Object> m, String field) throws BadBody {
        String s = JsonFields.string(m, field);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new BadBody(field + " is not an instant");
        }
    }
}
