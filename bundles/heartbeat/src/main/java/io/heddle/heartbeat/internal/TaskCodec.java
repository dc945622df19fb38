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
import io.heddle.records.internal.RecordJson;
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
        m.putAll(RecordJson.task(t));
        return JsonTree.write(m);
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
