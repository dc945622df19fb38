package io.heddle.heartbeat.store.postgres.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of one workspace key in one namespace. Every method is one transaction. Claims lock
 * the task row with {@code FOR UPDATE SKIP LOCKED} (a server never waits for another's claim);
 * leases are timed by the database's {@code now()}; fencing tokens come from a sequence; a
 * completed occurrence {@code (taskId, dueAt)} is never claimed again.
 */
final class PostgresWorkspaceTaskStore implements WorkspaceTaskStore {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWorkspaceTaskStore.class);
    private static final Set<String> REPORTED = ConcurrentHashMap.newKeySet();

    private final PostgresDatabase db;
    private final TaskWorkspace workspace;
    private final String ns;
    private final Set<String> runners;
    private final int historyLimit;

    PostgresWorkspaceTaskStore(PostgresDatabase db, TaskWorkspace workspace) {
        this.db = db;
        this.workspace = workspace;
        this.ns = db.settings().namespace();
        this.runners = db.settings().runners();
        this.historyLimit = db.settings().historyLimit();
    }

    @Override
    public TaskWorkspace workspace() {
        return workspace;
    }

    @Override
    public String revision() {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT coalesce(md5(string_agg(id || ':' || revision, ','"
                    + " ORDER BY id)), 'none') FROM heddle_tasks WHERE namespace = ? AND workspace_key = ?")) {
                s.setString(1, ns);
                s.setString(2, workspace.key());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    // --- tasks ---

    @Override
    public List<HeartbeatTask> list() {
        return db.transaction(c -> {
            List<HeartbeatTask> tasks = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT id, body FROM heddle_tasks" + " WHERE namespace = ? AND workspace_key = ? ORDER BY id")) {
                s.setString(1, ns);
                s.setString(2, workspace.key());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        decodeTask(rs.getString(1), rs.getString(2)).ifPresent(tasks::add);
                    }
                }
            }
            return tasks;
        });
    }

    @Override
    public Optional<HeartbeatTask> get(String taskId) {
        return db.transaction(c -> select(c, taskId, ""));
    }

    @Override
    public HeartbeatTask create(HeartbeatTask task) {
        return createAll(List.of(task)).get(0);
    }

    /** All the tasks in one transaction: one whose id exists rolls back every one. */
    @Override
    public List<HeartbeatTask> createAll(List<HeartbeatTask> tasks) {
        tasks.forEach(t -> Objects.requireNonNull(t, "task"));
        db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO heddle_tasks (namespace, id, workspace_key,"
                    + " runner, enabled, next_run_at, run_requested_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (namespace, id) DO NOTHING")) {
                for (HeartbeatTask task : tasks) {
                    s.setString(1, ns);
                    s.setString(2, task.id());
                    s.setString(3, workspace.key());
                    s.setString(4, task.runner());
                    s.setBoolean(5, task.enabled());
                    setInstant(s, 6, task.schedule().nextRunAt());
                    setInstant(s, 7, task.state().runRequestedAt());
                    s.setString(8, TaskJson.encodeTask(task));
                    if (s.executeUpdate() != 1) {
                        throw new HeartbeatTaskConflictException("A task with id " + task.id()
                                + " exists already in namespace " + ns + ": choose another id");
                    }
                }
                return null;
            }
        });
        return List.copyOf(tasks);
    }

    @Override
    public Optional<HeartbeatTask> update(String taskId, UnaryOperator<HeartbeatTask> change) {
        return db.transaction(c -> {
            Optional<HeartbeatTask> current = select(c, taskId, " FOR UPDATE");
            if (current.isEmpty()) {
                return current;
            }
            HeartbeatTask next = change.apply(current.get());
            if (next != current.get()) {
                write(c, next);
            }
            return Optional.of(next);
        });
    }

    @Override
    public boolean delete(String taskId) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM heddle_tasks WHERE namespace = ? AND workspace_key = ? AND id = ?")) {
                s.setString(1, ns);
                s.setString(2, workspace.key());
                s.setString(3, taskId);
                return s.executeUpdate() == 1;
            }
        });
    }

    // --- claims and leases ---

    @Override
    public Optional<TaskClaim> claim(ClaimRequest request, UnaryOperator<HeartbeatTask> start) {
        return db.transaction(c -> {
            Optional<HeartbeatTask> found = select(c, request.taskId(), " FOR UPDATE SKIP LOCKED");
            if (found.isEmpty()) {
                return Optional.empty(); // gone, or another server is claiming it this instant
            }
            HeartbeatTask task = found.get();
            if (!runners.contains(task.runner())) {
                return Optional.<TaskClaim>empty(); // this server was not told to run that kind
            }
            if (!request.dueAt().equals(task.schedule().nextRunAt())
                    && !request.dueAt().equals(task.state().runRequestedAt())) {
                return Optional.<TaskClaim>empty(); // someone ran or changed it meanwhile
            }
            try (PreparedStatement s = c.prepareStatement("SELECT server_id, expires_at > now() FROM heddle_leases"
                    + " WHERE namespace = ? AND task_id = ? FOR UPDATE")) {
                s.setString(1, ns);
                s.setString(2, task.id());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(2)) {
                        return Optional.<TaskClaim>empty(); // running under a live lease (here or elsewhere)
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT completed FROM heddle_claims" + " WHERE namespace = ? AND task_id = ? AND due_at = ?")) {
                s.setString(1, ns);
                s.setString(2, task.id());
                setInstant(s, 3, request.dueAt());
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return Optional.<TaskClaim>empty(); // this occurrence ran already
                    }
                }
            }
            HeartbeatTask running = start.apply(task);
            if (running == null) {
                c.rollback();
                return Optional.<TaskClaim>empty();
            }
            long token;
            try (PreparedStatement s = c.prepareStatement("SELECT nextval('heddle_fencing_tokens')");
                    ResultSet rs = s.executeQuery()) {
                rs.next();
                token = rs.getLong(1);
            }
            HeartbeatLease lease;
            try (PreparedStatement s = c.prepareStatement("INSERT INTO heddle_leases (namespace, task_id, due_at,"
                    + " server_id, run_id, fencing_token, acquired_at, expires_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, now(), now() + ? * interval '1 millisecond')"
                    + " ON CONFLICT (namespace, task_id) DO UPDATE SET due_at = excluded.due_at,"
                    + " server_id = excluded.server_id, run_id = excluded.run_id,"
                    + " fencing_token = excluded.fencing_token, acquired_at = excluded.acquired_at,"
                    + " expires_at = excluded.expires_at RETURNING acquired_at, expires_at")) {
                s.setString(1, ns);
                s.setString(2, task.id());
                setInstant(s, 3, request.dueAt());
                s.setString(4, request.owner());
                s.setString(5, request.runId());
                s.setLong(6, token);
                s.setLong(7, leaseMs(request.leaseTtl()));
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    lease = new HeartbeatLease(
                            task.id(),
                            request.runId(),
                            request.owner(),
                            token,
                            request.dueAt(),
                            rs.getTimestamp(1).toInstant(),
                            rs.getTimestamp(2).toInstant());
                }
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO heddle_claims (namespace, task_id, due_at,"
                    + " fencing_token, server_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT (namespace, task_id, due_at)"
                    + " DO UPDATE SET fencing_token = excluded.fencing_token, server_id = excluded.server_id")) {
                s.setString(1, ns);
                s.setString(2, task.id());
                setInstant(s, 3, request.dueAt());
                s.setLong(4, token);
                s.setString(5, request.owner());
                s.executeUpdate();
            }
            write(c, running);
            seen(c, request.owner(), "last_claim_at");
            return Optional.of(new TaskClaim(lease, running));
        });
    }

    @Override
    public void started(HeartbeatLease lease, HeartbeatRun run) {
        db.transaction(c -> {
            writeRun(c, run, lease.fencingToken());
            return null;
        });
    }

    @Override
    public Optional<HeartbeatLease> renew(HeartbeatLease lease, Duration ttl) {
        return db.transaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE heddle_leases"
                    + " SET expires_at = now() + ? * interval '1 millisecond'"
                    + " WHERE namespace = ? AND task_id = ? AND fencing_token = ? RETURNING expires_at")) {
                s.setLong(1, leaseMs(ttl));
                s.setString(2, ns);
                s.setString(3, lease.taskId());
                s.setLong(4, lease.fencingToken());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<HeartbeatLease>empty();
                    }
                    Instant expires = rs.getTimestamp(1).toInstant();
                    seen(c, lease.owner(), "last_renew_at");
                    return Optional.of(new HeartbeatLease(
                            lease.taskId(),
                            lease.runId(),
                            lease.owner(),
                            lease.fencingToken(),
                            lease.dueAt(),
                            lease.acquiredAt(),
                            expires));
                }
            }
        });
    }

    @Override
    public Completion complete(HeartbeatLease lease, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome) {
        return db.transaction(c -> {
            Optional<HeartbeatTask> found = select(c, lease.taskId(), " FOR UPDATE");
            if (found.isEmpty()) {
                return new Completion(Completion.Result.TASK_DELETED, null);
            }
            boolean current = false;
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT fencing_token FROM heddle_leases" + " WHERE namespace = ? AND task_id = ? FOR UPDATE")) {
                s.setString(1, ns);
                s.setString(2, lease.taskId());
                try (ResultSet rs = s.executeQuery()) {
                    current = rs.next() && rs.getLong(1) == lease.fencingToken();
                }
            }
            if (!current) {
                HeartbeatRun superseded = run.withStatus(HeartbeatRunStatus.SUPERSEDED);
                writeRun(c, superseded, lease.fencingToken());
                return new Completion(Completion.Result.SUPERSEDED, found.get());
            }
            HeartbeatTask next = outcome.apply(found.get());
            write(c, next);
            writeRun(c, run, lease.fencingToken());
            try (PreparedStatement s = c.prepareStatement(
                    "DELETE FROM heddle_leases WHERE namespace = ? AND task_id = ? AND fencing_token = ?")) {
                s.setString(1, ns);
                s.setString(2, lease.taskId());
                s.setLong(3, lease.fencingToken());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE heddle_claims SET completed = true"
                    + " WHERE namespace = ? AND task_id = ? AND due_at = ?")) {
                s.setString(1, ns);
                s.setString(2, lease.taskId());
                setInstant(s, 3, lease.dueAt());
                s.executeUpdate();
            }
            retain(c, lease.taskId(), historyLimit);
            return new Completion(Completion.Result.APPLIED, next);
        });
    }

    @Override
    public Optional<Recovered> recover(String taskId, String recoverer, Recovery recovery) {
        return db.transaction(c -> {
            Optional<HeartbeatTask> found = select(c, taskId, " FOR UPDATE SKIP LOCKED");
            if (found.isEmpty() || found.get().state().status() != HeartbeatTaskStatus.RUNNING) {
                return Optional.<Recovered>empty();
            }
            HeartbeatLease lapsed = null;
            try (PreparedStatement s = c.prepareStatement("SELECT run_id, server_id, fencing_token, due_at,"
                    + " acquired_at, expires_at, expires_at > now() FROM heddle_leases"
                    + " WHERE namespace = ? AND task_id = ? FOR UPDATE")) {
                s.setString(1, ns);
                s.setString(2, taskId);
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        if (rs.getBoolean(7) && !rs.getString(2).equals(recoverer)) {
                            return Optional.<Recovered>empty(); // another server holds it, alive
                        }
                        lapsed = new HeartbeatLease(
                                taskId,
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getTimestamp(4).toInstant(),
                                rs.getTimestamp(5).toInstant(),
                                rs.getTimestamp(6).toInstant());
                    }
                }
            }
            String runId = lapsed != null ? lapsed.runId() : found.get().state().lastRunId();
            HeartbeatRun run =
                    runId == null ? null : selectRun(c, taskId, runId).orElse(null);
            Recovered recovered = recovery.recover(found.get(), lapsed, run);
            if (recovered == null) {
                return Optional.<Recovered>empty();
            }
            write(c, recovered.task());
            if (recovered.run() != null) {
                writeRun(c, recovered.run(), lapsed == null ? null : lapsed.fencingToken());
            }
            try (PreparedStatement s =
                    c.prepareStatement("DELETE FROM heddle_leases WHERE namespace = ? AND task_id = ?")) {
                s.setString(1, ns);
                s.setString(2, taskId);
                s.executeUpdate();
            }
            return Optional.of(recovered);
        });
    }

    // --- run history ---

    @Override
    public List<HeartbeatRun> runs(String taskId) {
        return db.transaction(c -> {
            List<HeartbeatRun> runs = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, body FROM heddle_runs WHERE namespace = ?"
                    + " AND task_id = ? AND workspace_key = ? ORDER BY started_at DESC, id DESC")) {
                s.setString(1, ns);
                s.setString(2, taskId);
                s.setString(3, workspace.key());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        decodeRun(rs.getString(1), rs.getString(2)).ifPresent(runs::add);
                    }
                }
            }
            return runs;
        });
    }

    @Override
    public Optional<HeartbeatRun> run(String taskId, String runId) {
        return db.transaction(c -> selectRun(c, taskId, runId));
    }

    @Override
    public int retainRuns(String taskId, int keep) {
        return db.transaction(c -> retain(c, taskId, Math.min(keep, historyLimit)));
    }

    /**
     * How long a lease lasts: the store's {@code leaseTtlMs}, or the scheduler's when that is
     * longer (the scheduler renews every third of its own; a shorter lease would lapse between
     * renewals and let another server run the task too).
     */
    private long leaseMs(Duration requested) {
        return Math.max(requested.toMillis(), db.settings().leaseTtlMs());
    }

    // --- rows ---

    private Optional<HeartbeatTask> select(Connection c, String taskId, String lock) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, body FROM heddle_tasks" + " WHERE namespace = ? AND workspace_key = ? AND id = ?" + lock)) {
            s.setString(1, ns);
            s.setString(2, workspace.key());
            s.setString(3, taskId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? decodeTask(rs.getString(1), rs.getString(2)) : Optional.empty();
            }
        }
    }

    private Optional<HeartbeatRun> selectRun(Connection c, String taskId, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, body FROM heddle_runs"
                + " WHERE namespace = ? AND task_id = ? AND id = ? AND workspace_key = ?")) {
            s.setString(1, ns);
            s.setString(2, taskId);
            s.setString(3, runId);
            s.setString(4, workspace.key());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? decodeRun(rs.getString(1), rs.getString(2)) : Optional.empty();
            }
        }
    }

    private void write(Connection c, HeartbeatTask task) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE heddle_tasks SET runner = ?, enabled = ?,"
                + " next_run_at = ?, run_requested_at = ?, body = ?, revision = nextval('heddle_task_revisions'),"
                + " updated_at = now() WHERE namespace = ? AND workspace_key = ? AND id = ?")) {
            s.setString(1, task.runner());
            s.setBoolean(2, task.enabled());
            setInstant(s, 3, task.schedule().nextRunAt());
            setInstant(s, 4, task.state().runRequestedAt());
            s.setString(5, TaskJson.encodeTask(task));
            s.setString(6, ns);
            s.setString(7, workspace.key());
            s.setString(8, task.id());
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("task " + task.id() + " changed its id inside a store function");
            }
        }
    }

    private void writeRun(Connection c, HeartbeatRun run, Long fencingToken) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO heddle_runs (namespace, task_id, id,"
                + " workspace_key, server_id, fencing_token, due_at, started_at, finished_at, status, body)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (namespace, task_id, id) DO UPDATE SET"
                + " server_id = excluded.server_id, fencing_token = excluded.fencing_token,"
                + " finished_at = excluded.finished_at, status = excluded.status, body = excluded.body")) {
            s.setString(1, ns);
            s.setString(2, run.taskId());
            s.setString(3, run.id());
            s.setString(4, workspace.key());
            s.setString(5, run.serverId() == null ? "" : run.serverId());
            if (fencingToken == null) {
                s.setNull(6, Types.BIGINT);
            } else {
                s.setLong(6, fencingToken);
            }
            setInstant(s, 7, run.dueAt());
            setInstant(s, 8, run.startedAt() == null ? Instant.now() : run.startedAt());
            setInstant(s, 9, run.finishedAt());
            s.setString(10, run.status().wireName());
            s.setString(11, TaskJson.encodeRun(run));
            s.executeUpdate();
        }
    }

    private int retain(Connection c, String taskId, int keep) throws SQLException {
        int deleted;
        try (PreparedStatement s = c.prepareStatement("DELETE FROM heddle_runs WHERE namespace = ? AND task_id = ?"
                + " AND status <> 'running' AND id NOT IN (SELECT id FROM heddle_runs WHERE namespace = ?"
                + " AND task_id = ? ORDER BY started_at DESC, id DESC LIMIT ?)")) {
            s.setString(1, ns);
            s.setString(2, taskId);
            s.setString(3, ns);
            s.setString(4, taskId);
            s.setInt(5, Math.max(0, keep));
            deleted = s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM heddle_claims WHERE namespace = ? AND task_id = ?"
                + " AND completed AND due_at < now() - interval '1 day'")) {
            s.setString(1, ns);
            s.setString(2, taskId);
            s.executeUpdate();
        }
        return deleted;
    }

    private void seen(Connection c, String serverId, String column) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO heddle_servers (namespace, server_id, " + column
                + ", seen_at) VALUES (?, ?, now(), now()) ON CONFLICT (namespace, server_id) DO UPDATE SET "
                + column + " = now(), seen_at = now()")) {
            s.setString(1, ns);
            s.setString(2, serverId);
            s.executeUpdate();
        }
    }

    private Optional<HeartbeatTask> decodeTask(String id, String body) {
        try {
            return Optional.of(TaskJson.decodeTask(body));
        } catch (TaskJson.BadBody e) {
            if (REPORTED.add(ns + "/task/" + id)) {
                LOG.warn(
                        "Task {} of namespace {} cannot be read and is left out ({}); its row is kept as it is",
                        id,
                        ns,
                        e.getMessage());
            }
            return Optional.empty();
        }
    }

    private Optional<HeartbeatRun> decodeRun(String id, String body) {
        try {
            HeartbeatRun r = TaskJson.decodeRun(body);
            // the run as this server's catalog names the workspace (another server's id differs)
            return Optional.of(r.inWorkspace(workspace.id()));
        } catch (TaskJson.BadBody e) {
            if (REPORTED.add(ns + "/run/" + id)) {
                LOG.warn("Run {} of namespace {} cannot be read and is left out ({})", id, ns, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private static void setInstant(PreparedStatement s, int index, Instant instant) throws SQLException {
        if (instant == null) {
            s.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            s.setObject(index, java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
        }
    }
}
