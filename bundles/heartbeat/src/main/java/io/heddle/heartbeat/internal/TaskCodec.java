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
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.storage.internal.JsonTree;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON of task, run and lease files. Reads are tolerant: a missing optional field takes
 * its default; a file without the fields a task cannot do without (instruction, runner,
 * interval) decodes to empty, and the store sets it aside as corrupt.
 */
final class TaskCodec {

    static final int VERSION = 1;

    private TaskCodec() {
    }

    // --- tasks ---

    static byte[] encodeTask(HeartbeatTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.putAll(taskJson(t));
        return JsonTree.write(m);
    }

    /** The task as a JSON tree; the HTTP API sends the same shape. */
    static Map<String, Object> taskJson(HeartbeatTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("name", t.name());
        m.put("task", t.task());
        m.put("enabled", t.enabled());
        m.put("continuationMode", t.continuationMode().wireName());
        m.put("runner", t.runner());
        m.put("runnerConfig", new LinkedHashMap<>(t.runnerConfig()));
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("intervalMs", t.schedule().intervalMs());
        schedule.put("nextRunAt", format(t.schedule().nextRunAt()));
        m.put("schedule", schedule);
        HeartbeatTaskState s = t.state();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", s.status().wireName());
        state.put("progress", s.progress());
        state.put("runAt", format(s.runAt()));
        state.put("result", s.result());
        state.put("error", s.error());
        state.put("updatedAt", format(s.updatedAt()));
        state.put("needs", s.needs());
        state.put("message", s.message());
        state.put("failures", s.failures());
        state.put("lastRunId", s.lastRunId());
        state.put("runRequestedAt", format(s.runRequestedAt()));
        m.put("state", state);
        m.put("createdAt", format(t.createdAt()));
        m.put("updatedAt", format(t.updatedAt()));
        return m;
    }

    /** Decodes a task file; the file name's id wins over the id inside. Empty when not a task. */
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
        String task = string(m, "task");
        String runner = text(m, "runner");
        Map<String, Object> schedule = object(m.get("schedule"));
        Long interval = schedule == null ? null : integer(schedule, "intervalMs");
        if (task == null || runner == null || interval == null || interval <= 0) {
            return Optional.empty();
        }
        Boolean enabled = bool(m, "enabled");
        ContinuationMode mode = ContinuationMode.fromWireName(string(m, "continuationMode")).orElse(ContinuationMode.OPERATOR);
        Map<String, Object> runnerConfig = object(m.get("runnerConfig"));
        Map<String, Object> s = object(m.get("state"));
        Instant createdAt = instant(m, "createdAt");
        HeartbeatTaskState state = s == null ? HeartbeatTaskState.created(createdAt) : decodeState(s);
        return Optional.of(new HeartbeatTask(fileId, string(m, "name"), task, enabled == null || enabled, mode, runner,
                runnerConfig, new HeartbeatSchedule(interval, instant(schedule, "nextRunAt")), state, createdAt,
                instant(m, "updatedAt")));
    }

    private static HeartbeatTaskState decodeState(Map<String, Object> s) {
        HeartbeatTaskStatus status = HeartbeatTaskStatus.fromWireName(string(s, "status")).orElse(HeartbeatTaskStatus.IDLE);
        Long failures = integer(s, "failures");
        return new HeartbeatTaskState(status, string(s, "progress"), instant(s, "runAt"), string(s, "result"),
                string(s, "error"), instant(s, "updatedAt"), text(s, "needs"), string(s, "message"),
                failures == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(0, failures)), text(s, "lastRunId"),
                instant(s, "runRequestedAt"));
    }

    // --- runs ---

    static byte[] encodeRun(HeartbeatRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.putAll(runJson(r));
        return JsonTree.write(m);
    }

    static Map<String, Object> runJson(HeartbeatRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("taskId", r.taskId());
        m.put("workspaceId", r.workspaceId());
        m.put("serverId", r.serverId());
        m.put("runner", r.runner());
        m.put("trigger", r.trigger());
        m.put("dueAt", format(r.dueAt()));
        m.put("startedAt", format(r.startedAt()));
        m.put("finishedAt", format(r.finishedAt()));
        m.put("status", r.status().wireName());
        m.put("decision", r.decision() == null ? null : r.decision().wireName());
        m.put("summary", r.summary());
        m.put("details", new LinkedHashMap<>(r.details()));
        m.put("error", r.error());
        return m;
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
        return Optional.of(new HeartbeatRun(fileId, taskId, string(m, "workspaceId"), string(m, "serverId"),
                string(m, "runner"), string(m, "trigger"), instant(m, "dueAt"), instant(m, "startedAt"),
                instant(m, "finishedAt"), status.get(), HeartbeatDecision.fromWireName(string(m, "decision")).orElse(null),
                string(m, "summary"), object(m.get("details")), string(m, "error")));
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
        return Optional.of(new TaskLease(taskId, owner, pid == null ? 0 : pid, text(m, "runId"),
                instant(m, "acquiredAt"), expiresAt));
    }
}
