package io.heddle.heartbeat.internal;

import static io.heddle.storage.internal.JsonFields.bool;
import static io.heddle.storage.internal.JsonFields.format;
import static io.heddle.storage.internal.JsonFields.instant;
import static io.heddle.storage.internal.JsonFields.integer;
import static io.heddle.storage.internal.JsonFields.object;
import static io.heddle.storage.internal.JsonFields.string;
import static io.heddle.storage.internal.JsonFields.text;

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
import io.heddle.storage.internal.JsonTree;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON of task, run and lease files. Reads are tolerant: a missing field takes its default,
 * and only a file that is not a JSON object at all decodes to empty (the store then sets it
 * aside as corrupt). Task members this version does not know are kept and written back.
 */
final class TaskCodec {

    static final int VERSION = 1;

    private TaskCodec() {}

    // --- tasks ---

    static byte[] encodeTask(HeartbeatTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.putAll(RecordJson.task(t));
        return JsonTree.write(m);
    }

    /** The members of a task file this version reads; every other member is kept as an extra field. */
    private static final Set<String> TASK_FIELDS = union(RecordJson.TASK_MEMBERS, "version");

    private static final Set<String> SCHEDULE_FIELDS = RecordJson.SCHEDULE_MEMBERS;
    private static final Set<String> STATE_FIELDS = RecordJson.STATE_MEMBERS;
    /** The state members the reference's older files may hold at the top level, without a {@code state} object. */
    private static final Set<String> TOP_LEVEL_STATE_FIELDS = Set.of("status", "progress", "runAt", "result", "error");

    /** The interval of a task file that names none (or none readable). */
    static final long DEFAULT_INTERVAL_MS = 3_600_000L;

    /**
     * Decodes a task file; the file name's id wins over the id inside. Empty only when the bytes
     * are not a task at all (not JSON, or not a JSON object). Everything else is read as well as
     * it can be: the reference's files (no {@code runner}: an {@link HeartbeatTask#AGENT_RUNNER}
     * task whose instruction is {@code task}), a {@code schedule} given as a duration string or a
     * top-level {@code intervalMs}/{@code nextRunAt}, a top-level {@code status} instead of a
     * {@code state} object; what is missing takes its default. Members this version does not
     * know are kept in {@link HeartbeatTask#extraFields()}.
     */
    static Optional<HeartbeatTask> decodeTask(String fileId, byte[] bytes) {
        Map<String, Object> m;
        try {
            m = object(JsonTree.parse(bytes));
        } catch (JsonTree.MalformedJsonException e) {
            return Optional.empty();
        }
        if (m == null) {
            return Optional.empty();
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!TASK_FIELDS.contains(k)) {
                extra.put(k, v);
            }
        });
        String task = string(m, "task");
        String runner = text(m, "runner");
        Map<String, Object> schedule = object(m.get("schedule"));
        Long interval = schedule == null ? durationMs(m.get("schedule")) : integer(schedule, "intervalMs");
        if (interval == null && integer(m, "intervalMs") != null) {
            interval = integer(m, "intervalMs");
            extra.remove("intervalMs");
        }
        Instant nextRunAt = schedule == null ? null : instant(schedule, "nextRunAt");
        if (nextRunAt == null && schedule == null && instant(m, "nextRunAt") != null) {
            nextRunAt = instant(m, "nextRunAt");
            extra.remove("nextRunAt");
        }
        if (interval == null || interval <= 0) {
            interval = DEFAULT_INTERVAL_MS;
        }
        keepUnknown(extra, "schedule", schedule, SCHEDULE_FIELDS);
        Boolean enabled = bool(m, "enabled");
        ContinuationMode mode =
                ContinuationMode.fromWireName(string(m, "continuationMode")).orElse(ContinuationMode.OPERATOR);
        Map<String, Object> runnerConfig = object(m.get("runnerConfig"));
        Map<String, Object> s = object(m.get("state"));
        Instant createdAt = instant(m, "createdAt");
        HeartbeatTaskState state;
        if (s != null) {
            state = decodeState(s);
            keepUnknown(extra, "state", s, STATE_FIELDS);
        } else if (string(m, "status") != null) {
            // an older file: the state's members at the top level
            Map<String, Object> topLevel = new LinkedHashMap<>();
            TOP_LEVEL_STATE_FIELDS.stream().filter(m::containsKey).forEach(k -> topLevel.put(k, m.get(k)));
            state = decodeState(topLevel);
            TOP_LEVEL_STATE_FIELDS.forEach(extra::remove);
        } else {
            state = HeartbeatTaskState.created(createdAt);
        }
        return Optional.of(new HeartbeatTask(
                fileId,
                string(m, "name"),
                task == null ? "" : task,
                enabled == null || enabled,
                mode,
                runner == null ? HeartbeatTask.AGENT_RUNNER : runner,
                runnerConfig,
                new HeartbeatSchedule(interval, nextRunAt),
                state,
                createdAt,
                instant(m, "updatedAt"),
                extra));
    }

    /** Puts the members of {@code object} outside {@code known} into {@code extra} under {@code key}. */
    private static void keepUnknown(
            Map<String, Object> extra, String key, Map<String, Object> object, Set<String> known) {
        if (object == null) {
            return;
        }
        Map<String, Object> unknown = new LinkedHashMap<>();
        object.forEach((k, v) -> {
            if (!known.contains(k)) {
                unknown.put(k, v);
            }
        });
        if (!unknown.isEmpty()) {
            extra.put(key, unknown);
        }
    }

    /**
     * A schedule given as a string: milliseconds ({@code "60000"}), an ISO-8601 duration
     * ({@code "PT5M"}), or a number with a unit ({@code "500ms"}, {@code "30s"}, {@code "5m"},
     * {@code "2h"}, {@code "1d"}); null otherwise.
     */
    static Long durationMs(Object value) {
        if (!(value instanceof String)) {
            return null;
        }
        String v = ((String) value).trim().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher unit = DURATION.matcher(v);
        try {
            if (unit.matches()) {
                long n = Long.parseLong(unit.group(1));
                switch (unit.group(2)) {
                    case "":
                    case "ms":
                        return n;
                    case "s":
                        return Math.multiplyExact(n, 1000L);
                    case "m":
                        return Math.multiplyExact(n, 60_000L);
                    case "h":
                        return Math.multiplyExact(n, 3_600_000L);
                    default:
                        return Math.multiplyExact(n, 86_400_000L);
                }
            }
            return java.time.Duration.parse(((String) value).trim()).toMillis();
        } catch (ArithmeticException | java.time.format.DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("(\\d{1,15})\\s*(ms|s|m|h|d|)");

    private static HeartbeatTaskState decodeState(Map<String, Object> s) {
        HeartbeatTaskStatus status =
                HeartbeatTaskStatus.fromWireName(string(s, "status")).orElse(HeartbeatTaskStatus.IDLE);
        Long failures = integer(s, "failures");
        String needs = text(s, "needs");
        if (status == HeartbeatTaskStatus.WAITING && needs == null) {
            needs = HeartbeatTaskState.NEEDS_RESUME; // the reference's paused task: runs again after a resume
        }
        return new HeartbeatTaskState(
                status,
                string(s, "progress"),
                instant(s, "runAt"),
                string(s, "result"),
                string(s, "error"),
                instant(s, "updatedAt"),
                needs,
                string(s, "message"),
                failures == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, failures)),
                text(s, "lastRunId"),
                instant(s, "runRequestedAt"),
                decodeError(object(s.get("lastError"))));
    }

    private static HeartbeatTaskError decodeError(Map<String, Object> e) {
        if (e == null) {
            return null;
        }
        Instant at = instant(e, "at");
        String message = string(e, "message");
        return at == null || message == null ? null : new HeartbeatTaskError(at, message);
    }

    // --- runs ---

    static byte[] encodeRun(HeartbeatRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.putAll(RecordJson.run(r));
        return JsonTree.write(m);
    }

    static Optional<HeartbeatRun> decodeRun(String fileId, String taskId, byte[] bytes) {
        Map<String, Object> m;
        try {
            m = object(JsonTree.parse(bytes));
        } catch (JsonTree.MalformedJsonException e) {
            return Optional.empty();
        }
        if (m == null) {
            return Optional.empty();
        }
        Optional<HeartbeatRunStatus> status = HeartbeatRunStatus.fromWireName(string(m, "status"));
        if (status.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HeartbeatRun(
                fileId,
                taskId,
                string(m, "workspaceId"),
                string(m, "serverId"),
                string(m, "runner"),
                string(m, "trigger"),
                instant(m, "dueAt"),
                instant(m, "startedAt"),
                instant(m, "finishedAt"),
                status.get(),
                HeartbeatDecision.fromWireName(string(m, "decision")).orElse(null),
                string(m, "summary"),
                object(m.get("details")),
                string(m, "error")));
    }

    // --- leases ---

    static byte[] encodeLease(TaskLease lease) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("taskId", lease.taskId());
        m.put("owner", lease.owner());
        m.put("pid", lease.pid());
        m.put("runId", lease.runId());
        m.put("acquiredAt", format(lease.acquiredAt()));
        m.put("expiresAt", format(lease.expiresAt()));
        return JsonTree.write(m);
    }

    static Optional<TaskLease> decodeLease(String taskId, byte[] bytes) {
        Map<String, Object> m;
        try {
            m = object(JsonTree.parse(bytes));
        } catch (JsonTree.MalformedJsonException e) {
            return Optional.empty();
        }
        if (m == null) {
            return Optional.empty();
        }
        String owner = text(m, "owner");
        Instant expiresAt = instant(m, "expiresAt");
        if (owner == null || expiresAt == null) {
            return Optional.empty();
        }
        Long pid = integer(m, "pid");
        return Optional.of(new TaskLease(
                taskId, owner, pid == null ? 0 : pid, text(m, "runId"), instant(m, "acquiredAt"), expiresAt));
    }

    private static Set<String> union(Set<String> members, String more) {
        Set<String> all = new java.util.HashSet<>(members);
        all.add(more);
        return Set.copyOf(all);
    }
}
