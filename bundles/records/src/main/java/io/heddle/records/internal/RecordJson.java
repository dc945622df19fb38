package io.heddle.records.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskStoreServer;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.JsonFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one JSON shape of each API record, as JSON trees for {@code JsonTree}: the registry file,
 * the workspace catalog, the task and run files and the HTTP API all write these, so a browser,
 * the CLI and a person reading the files see the same record.
 */
public final class RecordJson {

    /** The members of a task this version writes and reads; a stored task's other members are its extra fields. */
    public static final Set<String> TASK_MEMBERS = Set.of(
            "id",
            "name",
            "task",
            "enabled",
            "continuationMode",
            "runner",
            "runnerConfig",
            "schedule",
            "state",
            "createdAt",
            "updatedAt");

    /** The members of a task's {@code schedule} this version knows. */
    public static final Set<String> SCHEDULE_MEMBERS = Set.of("intervalMs", "nextRunAt");

    /** The members of a task's {@code state} this version knows. */
    public static final Set<String> STATE_MEMBERS = Set.of(
            "status",
            "progress",
            "runAt",
            "result",
            "error",
            "updatedAt",
            "needs",
            "message",
            "failures",
            "lastRunId",
            "runRequestedAt",
            "lastError");

    private RecordJson() {}

    public static Map<String, Object> workspace(WorkspaceDescriptor w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("name", w.name());
        m.put("workspaceRoot", w.workspaceRoot());
        m.put("repoRoots", new ArrayList<Object>(w.repoRoots()));
        m.put("stateRoot", w.stateRoot());
        m.put("createdAt", format(w.createdAt()));
        m.put("updatedAt", format(w.updatedAt()));
        if (w.workspaceKey() != null) {
            m.put("workspaceKey", w.workspaceKey());
        }
        return m;
    }

    public static Map<String, Object> task(HeartbeatTask t) {
        return task(t, RecordJson::format);
    }

    /**
     * The task with each instant written by {@code format} (the PostgreSQL task store keeps
     * full precision; everything else writes milliseconds).
     */
    public static Map<String, Object> task(HeartbeatTask t, Function<Instant, String> format) {
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
        schedule.put("nextRunAt", format.apply(t.schedule().nextRunAt()));
        m.put("schedule", schedule);
        HeartbeatTaskState s = t.state();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("status", s.status().wireName());
        state.put("progress", s.progress());
        state.put("runAt", format.apply(s.runAt()));
        state.put("result", s.result());
        state.put("error", s.error());
        state.put("updatedAt", format.apply(s.updatedAt()));
        state.put("needs", s.needs());
        state.put("message", s.message());
        state.put("failures", s.failures());
        state.put("lastRunId", s.lastRunId());
        state.put("runRequestedAt", format.apply(s.runRequestedAt()));
        if (s.lastError() != null) {
            Map<String, Object> lastError = new LinkedHashMap<>();
            lastError.put("at", format.apply(s.lastError().at()));
            lastError.put("message", s.lastError().message());
            state.put("lastError", lastError);
        } else {
            state.put("lastError", null);
        }
        m.put("state", state);
        m.put("createdAt", format.apply(t.createdAt()));
        m.put("updatedAt", format.apply(t.updatedAt()));
        mergeExtra(m, t.extraFields());
        return m;
    }

    /**
     * Adds the members a record was read with but this version does not know, without replacing
     * any member written above; an extra object under a known object's key adds its members to it.
     */
    @SuppressWarnings("unchecked")
    public static void mergeExtra(Map<String, Object> target, Map<String, Object> extra) {
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            Object mine = target.get(e.getKey());
            if (!target.containsKey(e.getKey())) {
                target.put(e.getKey(), e.getValue());
            } else if (mine instanceof Map && e.getValue() instanceof Map) {
                Map<String, Object> nested = new LinkedHashMap<>((Map<String, Object>) mine);
                mergeExtra(nested, (Map<String, Object>) e.getValue());
                target.put(e.getKey(), nested);
            }
        }
    }

    public static Map<String, Object> run(HeartbeatRun r) {
        return run(r, RecordJson::format);
    }

    /** The run with each instant written by {@code format}. */
    public static Map<String, Object> run(HeartbeatRun r, Function<Instant, String> format) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("taskId", r.taskId());
        m.put("workspaceId", r.workspaceId());
        m.put("serverId", r.serverId());
        m.put("runner", r.runner());
        m.put("trigger", r.trigger());
        m.put("dueAt", format.apply(r.dueAt()));
        m.put("startedAt", format.apply(r.startedAt()));
        m.put("finishedAt", format.apply(r.finishedAt()));
        m.put("status", r.status().wireName());
        m.put("decision", r.decision() == null ? null : r.decision().wireName());
        m.put("summary", r.summary());
        m.put("details", new LinkedHashMap<>(r.details()));
        m.put("error", r.error());
        return m;
    }

    /** The task store in use, as {@code /api/health} shows it (schema {@code TaskStore}). */
    public static Map<String, Object> taskStore(TaskStoreDescription d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", d.kind());
        m.put("description", d.description());
        m.put("available", d.available());
        m.put("problem", d.problem());
        m.put("location", new LinkedHashMap<>(d.location()));
        List<Object> servers = new ArrayList<>();
        for (TaskStoreServer s : d.servers()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("serverId", s.serverId());
            o.put("lastClaimAt", format(s.lastClaimAt()));
            o.put("lastRenewAt", format(s.lastRenewAt()));
            o.put("seenAt", format(s.seenAt()));
            servers.add(o);
        }
        m.put("servers", servers);
        return m;
    }

    private static String format(Instant instant) {
        return JsonFields.format(instant);
    }
}
