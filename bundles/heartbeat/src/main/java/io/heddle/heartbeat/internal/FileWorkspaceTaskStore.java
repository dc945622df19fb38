package io.heddle.heartbeat.internal;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The task store SPI on the files of one workspace ({@link FileTaskStore}): the default store.
 * Every atomic section is the store lock ({@code heartbeat/heartbeat.lock}, threads and
 * processes); leases are timed by this machine's clock, which every server sharing the files
 * shares too. The fencing token of a file lease is its claim time in milliseconds; fencing
 * itself compares the run id the task records as its current run, as the files always did.
 *
 * <p>One instance keeps the tasks it read with their file stamps, so that {@link #list()}
 * reads again only the task files that changed: the scheduler holds one per workspace, the
 * task service makes a fresh one per call (and so always reads every file).
 */
final class FileWorkspaceTaskStore implements WorkspaceTaskStore {

    private static final long PID = ProcessHandle.current().pid();

    private final TaskWorkspace workspace;
    private final FileTaskStore files;
    private final Clock clock;
    private final Map<String, Read> known = new HashMap<>();

    private record Read(FileTaskStore.FileStamp stamp, HeartbeatTask task) {}

    FileWorkspaceTaskStore(TaskWorkspace workspace, FileTaskStore files, Clock clock) {
        this.workspace = workspace;
        this.files = files;
        this.clock = clock;
    }

    /** The files underneath (housekeeping and tests). */
    FileTaskStore files() {
        return files;
    }

    @Override
    public TaskWorkspace workspace() {
        return workspace;
    }

    @Override
    public String revision() {
        return files.revision();
    }

    // --- tasks ---

    @Override
    public List<HeartbeatTask> list() {
        Map<String, FileTaskStore.FileStamp> stamps = files.taskStamps();
        List<HeartbeatTask> out = new ArrayList<>(stamps.size());
        synchronized (known) {
            known.keySet().retainAll(stamps.keySet());
            for (Map.Entry<String, FileTaskStore.FileStamp> e : stamps.entrySet()) {
                Read cached = known.get(e.getKey());
                if (cached != null && cached.stamp().equals(e.getValue())) {
                    out.add(cached.task());
                    continue;
                }
                Optional<HeartbeatTask> read = files.readTask(e.getKey());
                if (read.isPresent()) {
                    known.put(e.getKey(), new Read(e.getValue(), read.get()));
                    out.add(read.get());
                } else {
                    known.remove(e.getKey());
                }
            }
        }
        out.sort(Comparator.comparing(HeartbeatTask::id));
        return out;
    }

    @Override
    public Optional<HeartbeatTask> get(String taskId) {
        return files.readTask(taskId);
    }

    @Override
    public HeartbeatTask create(HeartbeatTask task) {
        return files.locked(() -> {
            if (files.readTask(task.id()).isPresent()) {
                throw new HeartbeatTaskConflictException("A heartbeat task with id " + task.id() + " exists already.");
            }
            files.writeTask(task);
            return task;
        });
    }

    @Override
    public Optional<HeartbeatTask> update(String taskId, UnaryOperator<HeartbeatTask> change) {
        return files.locked(() -> {
            Optional<HeartbeatTask> current = files.readTask(taskId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            HeartbeatTask next = change.apply(current.get());
            if (next != current.get()) {
                files.writeTask(next);
            }
            return Optional.of(next);
        });
    }

    @Override
    public boolean delete(String taskId) {
        return files.deleteTask(taskId);
    }

    // --- claims and leases ---

    @Override
    public Optional<TaskClaim> claim(ClaimRequest request, UnaryOperator<HeartbeatTask> start) {
        return files.locked(() -> {
            Optional<HeartbeatTask> fresh = files.readTask(request.taskId());
            if (fresh.isEmpty() || fresh.get().state().status() == HeartbeatTaskStatus.RUNNING) {
                return Optional.empty(); // gone, or someone's run (recovered separately when abandoned)
            }
            if (!request.dueAt().equals(TaskTransitions.dueAt(fresh.get()))) {
                return Optional.empty(); // that occurrence is done or moved: the caller reads the task again
            }
            Instant now = clock.instant();
            Optional<TaskLease> lease = files.readLease(request.taskId());
            if (lease.isPresent() && lease.get().blocks(request.owner(), now)) {
                return Optional.empty();
            }
            HeartbeatTask running = start.apply(fresh.get());
            if (running == null) {
                return Optional.empty();
            }
            TaskLease held = new TaskLease(
                    request.taskId(), request.owner(), PID, request.runId(), now, now.plus(request.leaseTtl()));
            files.writeLease(held);
            files.writeTaskWithoutSync(running); // made durable by started(), off the caller's (timer) thread
            return Optional.of(new TaskClaim(leaseOf(held, request.dueAt()), running));
        });
    }

    @Override
    public void started(HeartbeatLease lease, HeartbeatRun run) {
        files.forceTask(lease.taskId()); // the claim, written without waiting for the disk
        files.writeStartedRun(run);
    }

    @Override
    public Optional<HeartbeatLease> renew(HeartbeatLease lease, Duration ttl) {
        return files.locked(() -> {
            Instant now = clock.instant();
            Optional<TaskLease> current = files.readLease(lease.taskId());
            if (current.isPresent() && current.get().blocks(lease.owner(), now)) {
                return Optional.empty();
            }
            Optional<HeartbeatTask> task = files.readTask(lease.taskId());
            if (task.isEmpty() || !holds(task.get(), lease)) {
                return Optional.empty(); // ended (or deleted): nothing to renew
            }
            TaskLease renewed =
                    new TaskLease(lease.taskId(), lease.owner(), PID, lease.runId(), lease.acquiredAt(), now.plus(ttl));
            files.writeLease(renewed);
            return Optional.of(leaseOf(renewed, lease.dueAt()));
        });
    }

    @Override
    public Completion complete(HeartbeatLease lease, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome) {
        // The task's new state is not forced to disk: the run record is, and first. After a power
        // loss the task may read "running" again; recovery then finds the finished run and lets
        // the task run at its next chance, so nothing is lost but a repeat run.
        return files.locked(() -> {
            Optional<HeartbeatTask> current = files.readTask(lease.taskId());
            if (current.isEmpty()) {
                files.releaseLease(lease.taskId(), lease.owner());
                files.deleteRun(lease.taskId(), lease.runId()); // the started record of a task deleted while it ran
                return new Completion(Completion.Result.TASK_DELETED, null);
            }
            HeartbeatTask t = current.get();
            boolean holder = holds(t, lease);
            String notRecorded = null;
            try {
                files.writeRun(holder ? run : run.withStatus(HeartbeatRunStatus.SUPERSEDED));
            } catch (RuntimeException e) {
                notRecorded = e.getMessage();
            }
            if (!holder) {
                // another server took the task over after this lease lapsed: its state is not ours to change
                return new Completion(Completion.Result.SUPERSEDED, t, notRecorded);
            }
            HeartbeatTask next = outcome.apply(t);
            files.writeTaskWithoutSync(next);
            files.releaseLease(lease.taskId(), lease.owner());
            return new Completion(Completion.Result.APPLIED, next, notRecorded);
        });
    }

    @Override
    public Optional<Recovered> recover(String taskId, String recoverer, Recovery recovery) {
        Instant now = clock.instant();
        Optional<TaskLease> first = files.readLease(taskId);
        if (first.isPresent() && first.get().blocks(recoverer, now)) {
            return Optional.empty(); // the cheap look, without the lock
        }
        return files.locked(() -> {
            Optional<HeartbeatTask> fresh = files.readTask(taskId);
            Optional<TaskLease> lease = files.readLease(taskId);
            if (fresh.isEmpty()
                    || fresh.get().state().status() != HeartbeatTaskStatus.RUNNING
                    || (lease.isPresent() && lease.get().blocks(recoverer, clock.instant()))) {
                return Optional.empty();
            }
            HeartbeatTask t = fresh.get();
            String runId = t.state().lastRunId();
            HeartbeatRun run =
                    runId == null ? null : files.readRun(taskId, runId).orElse(null);
            Recovered recovered =
                    recovery.recover(t, lease.map(l -> leaseOf(l, null)).orElse(null), run);
            if (recovered == null) {
                return Optional.empty();
            }
            if (recovered.run() != null) {
                files.writeRun(recovered.run());
            }
            files.writeTask(recovered.task());
            lease.ifPresent(l -> files.releaseLease(taskId, l.owner()));
            return Optional.of(recovered);
        });
    }

    // --- run history ---

    @Override
    public List<HeartbeatRun> runs(String taskId) {
        return files.readRuns(taskId);
    }

    @Override
    public Optional<HeartbeatRun> run(String taskId, String runId) {
        return files.readRun(taskId, runId);
    }

    @Override
    public int retainRuns(String taskId, int keep) {
        return files.pruneRuns(taskId, keep);
    }

    // --- helpers ---

    /** Whether {@code lease} is the task's current claim: the task runs the lease's run. */
    private static boolean holds(HeartbeatTask t, HeartbeatLease lease) {
        return t.state().status() == HeartbeatTaskStatus.RUNNING
                && lease.runId().equals(t.state().lastRunId());
    }

    private static HeartbeatLease leaseOf(TaskLease l, Instant dueAt) {
        return new HeartbeatLease(
                l.taskId(), l.runId(), l.owner(), l.acquiredAt().toEpochMilli(), dueAt, l.acquiredAt(), l.expiresAt());
    }
}
