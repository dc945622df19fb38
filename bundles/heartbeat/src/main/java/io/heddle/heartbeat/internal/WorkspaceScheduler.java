package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskError;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.storage.internal.JsonFields;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one workspace on behalf of one server. {@link #poll()} is its whole
 * decision loop and runs on one thread (the session's timer, or a test): it re-reads the task
 * files when their revision changed, renews the leases of its runs, and starts due tasks while
 * run slots are free. Runs execute on the worker executor and record their outcome themselves.
 *
 * <p>A task never runs twice at once, even across servers sharing the workspace: a run starts
 * only after {@link #claim} has, under the store lock, re-read the task, found it still due, and
 * found no live lease of another server; it then writes its own lease, the run record and the
 * running state in that same critical section.
 */
final class WorkspaceScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceScheduler.class);
    private static final long PID = ProcessHandle.current().pid();

    private final String serverId;
    private final String workspaceId;
    private final Path workspaceRoot;
    private final FileTaskStore store;
    private final Clock clock;
    private final Supplier<SchedulerSettings> settings;
    private final RunnerDirectory runners;
    private final SchedulerEvents events;
    private final RunSlots slots;
    private final Executor workers;
    private final Runnable wake;

    // Touched by the polling thread only.
    private Map<String, HeartbeatTask> cache = new HashMap<>();
    private Map<String, FileTaskStore.FileStamp> stamps = new HashMap<>();
    private String revision;
    private Instant lastScan;
    private final Map<String, Instant> announcedDue = new HashMap<>();
    private final Map<String, Instant> announcedWaiting = new HashMap<>();
    private final java.util.Set<String> loggedWaiting = new java.util.HashSet<>();
    /** Failures to record a task's run or state, to show in its state once the store can be written. */
    private final ConcurrentMap<String, HeartbeatTaskError> pendingErrors = new ConcurrentHashMap<>();

    private final ConcurrentMap<String, ActiveRun> active = new ConcurrentHashMap<>();
    private volatile boolean reloadRequested = true;
    private volatile boolean retired;

    WorkspaceScheduler(String serverId, String workspaceId, Path workspaceRoot, FileTaskStore store, Clock clock,
            Supplier<SchedulerSettings> settings, RunnerDirectory runners, SchedulerEvents events, RunSlots slots,
            Executor workers, Runnable wake) {
        this.serverId = serverId;
        this.workspaceId = workspaceId;
        this.workspaceRoot = workspaceRoot;
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.runners = runners;
        this.events = events;
        this.slots = slots;
        this.workers = workers;
        this.wake = wake;
    }

    String workspaceId() {
        return workspaceId;
    }

    Path stateRoot() {
        return store.stateRoot();
    }

    /** Makes the next poll re-read the task files (a change was made in this JVM). */
    void changed() {
        reloadRequested = true;
    }

    /** No new runs from now on; runs in progress finish and record themselves. */
    void retire() {
        retired = true;
    }

    int activeRuns() {
        return active.size();
    }

    /**
     * One look at the workspace.
     *
     * @return the latest time this workspace wants to be polled again: its next due time or
     *         lease renewal, capped at one poll interval from now
     */
    Instant poll() {
        SchedulerSettings cfg = settings.get();
        Instant now = clock.instant();
        Instant next = now.plus(cfg.pollInterval());
        refresh(now, cfg);
        recordPendingErrors();
        next = renewLeases(now, cfg, next);
        if (retired) {
            return next;
        }
        List<HeartbeatTask> tasks = new ArrayList<>(cache.values());
        tasks.sort(Comparator.comparing((HeartbeatTask t) -> {
            Instant due = TaskTransitions.dueAt(t);
            return due == null ? Instant.MAX : due;
        }).thenComparing(HeartbeatTask::id));
        for (HeartbeatTask task : tasks) {
            if (active.containsKey(task.id())) {
                continue;
            }
            HeartbeatTask t = task;
            Optional<HeartbeatTaskRunner> runner = runners.find(t.runner());
            if (runner.isEmpty() && t.state().status() == HeartbeatTaskStatus.RUNNING) {
                continue; // neither run nor recovered here: a task of a kind this server cannot run is not touched
            }
            if (t.state().status() == HeartbeatTaskStatus.RUNNING) {
                t = recoverIfAbandoned(t.id(), now);
                if (t == null) {
                    continue;
                }
            }
            Instant due = TaskTransitions.dueAt(t);
            if (due == null) {
                continue;
            }
            if (due.isAfter(now)) {
                next = due.isBefore(next) ? due : next;
                continue;
            }
            if (!due.equals(announcedDue.put(t.id(), due))) {
                events.post(HeartbeatEvents.TASK_DUE, props(t.id(), null, "dueAt", JsonFields.format(due)));
            }
            if (runner.isEmpty()) {
                announceWaitingForRunner(t, due);
                continue;
            }
            if (!slots.tryAcquire()) {
                continue; // a finishing run frees a slot and wakes the scheduler
            }
            ActiveRun claimed = null;
            try {
                claimed = claim(t.id(), now, cfg);
            } catch (RuntimeException e) {
                storeFailed(t.id(), null, "Could not start a run: " + e.getMessage());
            }
            if (claimed == null) {
                slots.release();
                continue;
            }
            launch(claimed, runner.get());
        }
        return next;
    }

    private void refresh(Instant now, SchedulerSettings cfg) {
        String rev = store.revision();
        boolean rescanDue = lastScan == null || !now.isBefore(lastScan.plus(cfg.rescanInterval()));
        if (!reloadRequested && !rescanDue && rev.equals(revision)) {
            return;
        }
        // Read the revision first: a write during the read then shows up as a new revision. Only
        // files whose stamp changed are read again, so a change to one task costs one read.
        reloadRequested = false;
        revision = rev;
        lastScan = now;
        Map<String, FileTaskStore.FileStamp> current = store.taskStamps();
        Map<String, HeartbeatTask> next = new HashMap<>();
        Map<String, FileTaskStore.FileStamp> nextStamps = new HashMap<>();
        for (Map.Entry<String, FileTaskStore.FileStamp> e : current.entrySet()) {
            String id = e.getKey();
            HeartbeatTask known = cache.get(id);
            if (known != null && e.getValue().equals(stamps.get(id))) {
                next.put(id, known);
                nextStamps.put(id, e.getValue());
                continue;
            }
            Optional<HeartbeatTask> read = store.readTask(id);
            if (read.isPresent()) {
                next.put(id, read.get());
                nextStamps.put(id, e.getValue());
            }
        }
        cache = next;
        stamps = nextStamps;
        announcedDue.keySet().retainAll(next.keySet());
        announcedWaiting.keySet().retainAll(next.keySet());
        loggedWaiting.retainAll(next.keySet());
    }

    // --- claiming ---

    /** Starts a run of the task if, under the lock, it is still due and no other server holds it. */
    private ActiveRun claim(String taskId, Instant now, SchedulerSettings cfg) {
        return store.locked(() -> {
            Optional<HeartbeatTask> fresh = store.readTask(taskId);
            if (fresh.isEmpty()) {
                cache.remove(taskId);
                return null;
            }
            HeartbeatTask t = fresh.get();
            Optional<TaskLease> lease = store.readLease(taskId);
            if (lease.isPresent() && lease.get().blocks(serverId, now)) {
                cache.put(taskId, t);
                return null;
            }
            if (t.state().status() == HeartbeatTaskStatus.RUNNING) {
                t = recover(t, lease, now);
            }
            if (!TaskTransitions.due(t, now)) {
                cache.put(taskId, t);
                return null;
            }
            Instant dueAt = TaskTransitions.dueAt(t);
            String trigger = TaskTransitions.trigger(t);
            String runId = TaskIds.newRunId(now);
            store.writeLease(new TaskLease(taskId, serverId, PID, runId, now, now.plus(cfg.leaseTtl())));
            // the run record is written by the worker as the run starts, off this (timer) thread
            HeartbeatRun run = new HeartbeatRun(runId, taskId, workspaceId, serverId, t.runner(), trigger, dueAt, now,
                    null, HeartbeatRunStatus.RUNNING, null, null, null, null);
            HeartbeatTask running = TaskTransitions.started(t, runId, now);
            store.writeTaskWithoutSync(running); // made durable by the worker before the runner starts
            cache.put(taskId, running);
            return new ActiveRun(running, run, now.plus(cfg.leaseTtl().dividedBy(3)));
        });
    }

    /**
     * A task marked running that nobody runs (its lease expired or is gone): records that run as
     * interrupted. Answers the task as it is now, or null when it is still someone's run.
     */
    private HeartbeatTask recoverIfAbandoned(String taskId, Instant now) {
        try {
            Optional<TaskLease> lease = store.readLease(taskId);
            if (lease.isPresent() && lease.get().blocks(serverId, now)) {
                return null;
            }
            HeartbeatTask recovered = store.locked(() -> {
                Optional<HeartbeatTask> fresh = store.readTask(taskId);
                Optional<TaskLease> current = store.readLease(taskId);
                if (fresh.isEmpty() || fresh.get().state().status() != HeartbeatTaskStatus.RUNNING
                        || active.containsKey(taskId)
                        || (current.isPresent() && current.get().blocks(serverId, now))) {
                    fresh.ifPresentOrElse(t -> cache.put(taskId, t), () -> cache.remove(taskId));
                    return fresh.filter(t -> t.state().status() != HeartbeatTaskStatus.RUNNING).orElse(null);
                }
                HeartbeatTask t = recover(fresh.get(), current, now);
                current.ifPresent(l -> store.releaseLease(taskId, l.owner()));
                cache.put(taskId, t);
                return t;
            });
            return recovered;
        } catch (RuntimeException e) {
            LOG.warn("Workspace {}: could not check the lease of heartbeat task {}: {}", workspaceId, taskId,
                    e.getMessage());
            return null;
        }
    }

    /**
     * Under the lock: the abandoned run becomes interrupted, the task idle and due again. A run
     * whose record says it ended (its task's new state was lost in a crash) stays as recorded.
     */
    private HeartbeatTask recover(HeartbeatTask t, Optional<TaskLease> lease, Instant now) {
        String runId = t.state().lastRunId();
        String owner = lease.map(TaskLease::owner).orElse("(unknown)");
        String why = "interrupted: server " + owner + " stopped answering during run " + runId
                + " (its lease expired); the task runs again";
        Instant requestedAt = null;
        if (runId != null) {
            Optional<HeartbeatRun> run = store.readRun(t.id(), runId);
            if (run.isPresent() && run.get().status() != HeartbeatRunStatus.RUNNING) {
                HeartbeatTask recovered = TaskTransitions.interrupted(t, null, null, now);
                store.writeTask(recovered);
                LOG.warn("Workspace {}: heartbeat task {} still read as running after its run {} had ended; "
                        + "it is idle again", workspaceId, t.id(), runId);
                return recovered;
            }
            if (run.isEmpty()) {
                // the owner stopped before it wrote the run record: record the run from the task's state
                store.writeRun(new HeartbeatRun(runId, t.id(), workspaceId, owner, t.runner(), null, null,
                        t.state().runAt(), now, HeartbeatRunStatus.INTERRUPTED, null, null, null, why));
            } else if (run.get().status() == HeartbeatRunStatus.RUNNING) {
                store.writeRun(ended(run.get(), HeartbeatRunStatus.INTERRUPTED, null, why, null, now));
                if (TaskTransitions.TRIGGER_REQUEST.equals(run.get().trigger())) {
                    requestedAt = run.get().dueAt();
                }
            }
        }
        HeartbeatTask recovered = TaskTransitions.interrupted(t, why, requestedAt, now);
        store.writeTask(recovered);
        LOG.warn("Workspace {}: heartbeat task {} was left running by server {}; recorded run {} as interrupted",
                workspaceId, t.id(), owner, runId);
        events.post(HeartbeatEvents.TASK_FAILED, props(t.id(), runId, "error", why, "interrupted", true,
                "status", recovered.state().status().wireName()));
        return recovered;
    }

    /**
     * A due task whose runner kind is not installed: said once per slot (log and event), and
     * nothing is written. The task service shows it as waiting for its runner
     * ({@link TaskTransitions#shownWaitingForRunner}); it runs as soon as a runner appears.
     */
    private void announceWaitingForRunner(HeartbeatTask t, Instant due) {
        if (due.equals(announcedWaiting.put(t.id(), due))) {
            return;
        }
        String message = TaskTransitions.waitingMessage(t.runner());
        if (loggedWaiting.add(t.id())) {
            LOG.warn("Workspace {}: heartbeat task {}: {}", workspaceId, t.id(), message);
        }
        events.post(HeartbeatEvents.TASK_WAITING, props(t.id(), null, "runner", t.runner(), "message", message));
    }

    // --- store failures ---

    /**
     * A task's run or state could not be recorded: logged and posted once per episode, and
     * kept to be written into the task's {@code state.lastError} once the store can be written.
     */
    private void storeFailed(String taskId, String runId, String message) {
        HeartbeatTaskError error = new HeartbeatTaskError(clock.instant(), message);
        if (pendingErrors.put(taskId, error) == null) {
            LOG.warn("Workspace {}: heartbeat task {}{}: {}", workspaceId, taskId, runId == null ? "" : " (run " + runId
                    + ")", message);
            events.post(HeartbeatEvents.TASK_STORE_FAILED, props(taskId, runId, "error", message));
        }
    }

    /** Writes the pending store failures into their tasks' state; those that still cannot be written wait. */
    private void recordPendingErrors() {
        if (pendingErrors.isEmpty()) {
            return;
        }
        for (Map.Entry<String, HeartbeatTaskError> e : new ArrayList<>(pendingErrors.entrySet())) {
            String taskId = e.getKey();
            try {
                HeartbeatTask written = store.locked(() -> {
                    Optional<HeartbeatTask> current = store.readTask(taskId);
                    if (current.isEmpty()) {
                        return null;
                    }
                    HeartbeatTask t = current.get();
                    HeartbeatTask next = t.withState(t.state().withLastError(e.getValue()));
                    store.writeTask(next);
                    return next;
                });
                pendingErrors.remove(taskId, e.getValue());
                if (written == null) {
                    cache.remove(taskId);
                } else {
                    cache.put(taskId, written);
                }
            } catch (RuntimeException stillFailing) {
                // the store is still unwritable: health says so; try again at the next poll
            }
        }
    }

    // --- leases ---

    private Instant renewLeases(Instant now, SchedulerSettings cfg, Instant next) {
        for (ActiveRun a : active.values()) {
            if (!now.isBefore(a.leaseRenewAt)) {
                try {
                    boolean kept = store.locked(() -> {
                        if (a.finalized.get()) {
                            return true;
                        }
                        Optional<TaskLease> lease = store.readLease(a.taskId());
                        if (lease.isPresent() && lease.get().blocks(serverId, now)) {
                            return false;
                        }
                        store.writeLease(new TaskLease(a.taskId(), serverId, PID, a.runId(), a.run.startedAt(),
                                now.plus(cfg.leaseTtl())));
                        return true;
                    });
                    if (!kept) {
                        LOG.warn("Workspace {}: the lease of heartbeat task {} (run {}) was taken by another server "
                                + "while this run was still going", workspaceId, a.taskId(), a.runId());
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Workspace {}: could not renew the lease of heartbeat task {}: {}", workspaceId,
                            a.taskId(), e.getMessage());
                }
                a.leaseRenewAt = now.plus(cfg.leaseTtl().dividedBy(3));
            }
            next = a.leaseRenewAt.isBefore(next) ? a.leaseRenewAt : next;
        }
        return next;
    }

    // --- running ---

    private void launch(ActiveRun a, HeartbeatTaskRunner runner) {
        active.put(a.taskId(), a);
        events.post(HeartbeatEvents.TASK_STARTED, props(a.taskId(), a.runId(), "runner", a.task.runner(),
                "trigger", a.run.trigger(), "dueAt", JsonFields.format(a.run.dueAt())));
        try {
            workers.execute(() -> execute(a, runner));
        } catch (RejectedExecutionException e) {
            interrupt(a, "interrupted: the scheduler of server " + serverId + " was stopping");
        }
    }

    private void execute(ActiveRun a, HeartbeatTaskRunner runner) {
        synchronized (a) {
            if (a.finalized.get()) {
                return;
            }
            try {
                store.forceTask(a.taskId()); // the claim, written by the timer thread without waiting for the disk
                store.writeStartedRun(a.run);
            } catch (RuntimeException e) {
                storeFailed(a.taskId(), a.runId(), "Could not record the start of run " + a.runId() + ": "
                        + e.getMessage());
            }
        }
        a.enter(Thread.currentThread());
        HeartbeatRunResult result = null;
        String failure = null;
        Map<String, Object> details = Map.of();
        boolean interrupted = false;
        try {
            if (a.cancelled) {
                throw new InterruptedException();
            }
            result = runner.run(a);
            if (result == null) {
                failure = "the runner '" + a.task.runner() + "' returned no result";
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (HeartbeatRunException e) {
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            details = e.details();
            interrupted = a.cancelled;
        } catch (Exception | LinkageError | AssertionError e) {
            failure = "the runner '" + a.task.runner() + "' failed: " + e;
            interrupted = a.cancelled;
            LOG.warn("Workspace {}: heartbeat task {} (run {}) failed", workspaceId, a.taskId(), a.runId(), e);
        } finally {
            // from here on no cancel interrupts this thread, so the outcome is written in full
            a.leave();
        }
        if (interrupted) {
            interrupt(a, "interrupted: server " + serverId + " stopped before the run finished", details);
        } else if (failure != null) {
            fail(a, failure, details);
        } else {
            decide(a, result);
        }
    }

    private void decide(ActiveRun a, HeartbeatRunResult result) {
        Instant now = clock.instant();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.FINISHED, result, null, result.details(), now);
        complete(a, run, t -> TaskTransitions.decided(t, result, now), HeartbeatEvents.TASK_FINISHED,
                "decision", result.decision().wireName(), "summary", result.summary());
    }

    private void fail(ActiveRun a, String error, Map<String, Object> details) {
        Instant now = clock.instant();
        SchedulerSettings cfg = settings.get();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.FAILED, null, error, details, now);
        complete(a, run, t -> TaskTransitions.failed(t, error, now, cfg.retryBackoff(), cfg.maxRetryBackoff()),
                HeartbeatEvents.TASK_FAILED, "error", error, "interrupted", false);
    }

    private void interrupt(ActiveRun a, String why) {
        interrupt(a, why, Map.of());
    }

    private void interrupt(ActiveRun a, String why, Map<String, Object> details) {
        Instant now = clock.instant();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.INTERRUPTED, null, why, details, now);
        Instant requestedAt = TaskTransitions.TRIGGER_REQUEST.equals(a.run.trigger()) ? a.run.dueAt() : null;
        complete(a, run, t -> TaskTransitions.interrupted(t, why, requestedAt, now), HeartbeatEvents.TASK_FAILED,
                "error", why, "interrupted", true);
    }

    /**
     * Records the end of a run exactly once (the worker and a stopping session may race): the
     * run record, the task's new state (kept as edited meanwhile, apart from the outcome), the
     * lease released, the history pruned. A task deleted meanwhile records nothing.
     */
    private void complete(ActiveRun a, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome, String topic,
            Object... extra) {
        synchronized (a) {
            if (!a.finalized.compareAndSet(false, true)) {
                return;
            }
            try {
                // first the run (so a crash never leaves a finished task with a run still "running")
                store.writeRun(run);
            } catch (RuntimeException e) {
                storeFailed(a.taskId(), a.runId(), "Could not record the end of run " + a.runId() + ": "
                        + e.getMessage());
            }
        }
        try {
            // The task's new state is not forced to disk: the run record above is. After a power
            // loss the task may read "running" again; recovery then finds the finished run and
            // lets the task run at its next chance, so nothing is lost but a repeat run.
            HeartbeatTask after = store.locked(() -> {
                Optional<HeartbeatTask> current = store.readTask(a.taskId());
                if (current.isEmpty()) {
                    store.releaseLease(a.taskId(), serverId);
                    return null;
                }
                HeartbeatTask t = current.get();
                if (t.state().status() != HeartbeatTaskStatus.RUNNING || !a.runId().equals(t.state().lastRunId())) {
                    // another server took the task over after our lease lapsed: its state is not ours to change
                    return t;
                }
                HeartbeatTask next = outcome.apply(t);
                store.writeTaskWithoutSync(next);
                store.releaseLease(a.taskId(), serverId);
                return next;
            });
            if (after == null) {
                store.deleteRun(a.taskId(), a.runId()); // the task was deleted while it ran
            } else {
                store.pruneRuns(a.taskId(), settings.get().historyLimit());
                Object[] all = new Object[extra.length + 2];
                System.arraycopy(extra, 0, all, 0, extra.length);
                all[extra.length] = "status";
                all[extra.length + 1] = after.state().status().wireName();
                events.post(topic, props(a.taskId(), a.runId(), all));
            }
        } catch (RuntimeException e) {
            storeFailed(a.taskId(), a.runId(), "Could not record the end of run " + a.runId() + ": " + e.getMessage());
        } finally {
            active.remove(a.taskId(), a);
            slots.release();
            reloadRequested = true;
            wake.run();
        }
    }

    private static HeartbeatRun ended(HeartbeatRun r, HeartbeatRunStatus status, HeartbeatRunResult result,
            String error, Map<String, Object> details, Instant now) {
        return new HeartbeatRun(r.id(), r.taskId(), r.workspaceId(), r.serverId(), r.runner(), r.trigger(), r.dueAt(),
                r.startedAt(), now, status, result == null ? null : result.decision(),
                result == null ? null : result.summary(), details, error);
    }

    // --- stopping ---

    /** Asks every run in progress to stop: sets its cancelled flag and interrupts its thread. */
    void cancelRuns() {
        for (ActiveRun a : active.values()) {
            a.cancel();
        }
    }

    /** Records every run still in progress as interrupted (the runner did not stop in time). */
    void interruptRemaining(String why) {
        for (ActiveRun a : new ArrayList<>(active.values())) {
            a.cancelled = true;
            interrupt(a, why);
        }
    }

    private Map<String, Object> props(String taskId, String runId, Object... extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(HeartbeatEvents.SERVER_ID, serverId);
        p.put(HeartbeatEvents.WORKSPACE_ID, workspaceId);
        p.put(HeartbeatEvents.TASK_ID, taskId);
        if (runId != null) {
            p.put(HeartbeatEvents.RUN_ID, runId);
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] != null) {
                p.put((String) extra[i], extra[i + 1]);
            }
        }
        return p;
    }

    /** One run in progress; also what the runner sees of it. */
    final class ActiveRun implements HeartbeatRunContext {
        final HeartbeatTask task;
        final HeartbeatRun run;
        final AtomicBoolean finalized = new AtomicBoolean();
        volatile Instant leaseRenewAt;
        volatile boolean cancelled;
        private Thread thread;

        ActiveRun(HeartbeatTask task, HeartbeatRun run, Instant leaseRenewAt) {
            this.task = task;
            this.run = run;
            this.leaseRenewAt = leaseRenewAt;
        }

        String taskId() {
            return task.id();
        }

        synchronized void enter(Thread runner) {
            thread = runner;
        }

        /** The runner returned: no interrupt may reach this thread any more (a late one is cleared). */
        synchronized void leave() {
            thread = null;
            Thread.interrupted();
        }

        /** Interrupts the runner only while it runs, never the recording of its outcome. */
        synchronized void cancel() {
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }

        @Override
        public String serverId() {
            return serverId;
        }

        @Override
        public String workspaceId() {
            return workspaceId;
        }

        @Override
        public Path workspaceRoot() {
            return workspaceRoot;
        }

        @Override
        public Path stateRoot() {
            return store.stateRoot();
        }

        @Override
        public HeartbeatTask task() {
            return task;
        }

        @Override
        public String runId() {
            return run.id();
        }

        @Override
        public void progress(String message) {
            if (finalized.get()) {
                return;
            }
            Instant now = clock.instant();
            store.locked(() -> {
                Optional<HeartbeatTask> current = store.readTask(task.id());
                if (current.isPresent() && current.get().state().status() == HeartbeatTaskStatus.RUNNING
                        && run.id().equals(current.get().state().lastRunId()) && !finalized.get()) {
                    HeartbeatTaskState s = current.get().state();
                    store.writeTask(current.get().withState(new HeartbeatTaskState(s.status(), message, s.runAt(),
                            s.result(), s.error(), now, s.needs(), s.message(), s.failures(), s.lastRunId(),
                            s.runRequestedAt(), s.lastError())));
                }
                return null;
            });
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }
    }
}
