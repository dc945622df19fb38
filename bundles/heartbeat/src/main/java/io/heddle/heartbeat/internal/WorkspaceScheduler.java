package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.storage.internal.JsonFields;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler of one workspace on behalf of one server, working against the workspace's
 * task store ({@link WorkspaceTaskStore}) only. {@link #poll()} is its whole decision loop and
 * runs on one thread (the session's timer, or a test): it offers again the run results the store
 * could not take (it was down), re-reads the tasks when the store
 * says they changed, writes pending store failures into their tasks, renews the leases of its
 * runs, recovers abandoned runs, and starts due tasks while run slots are free. Its jobs live
 * in their own classes: {@link TaskCache}, {@link RunClaims} (claims and leases),
 * {@link AbandonedRuns} (recovery), {@link RunOutcomes} (running and recording) and
 * {@link PendingTaskErrors}.
 *
 * <p>A task never runs twice at once, even across servers sharing the store: a run starts only
 * after the store granted the claim of the due occurrence (see {@link RunClaims}).
 */
final class WorkspaceScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceScheduler.class);
    private static final int OWN_RUNS_REMEMBERED = 256;

    private final SchedulerContext ctx;
    private final WorkspaceTaskStore store;
    private final WorkspaceEvents events;
    private final TaskCache cache;
    private final PendingTaskErrors errors;
    private final RunClaims claims;
    private final AbandonedRuns abandoned;
    private final RunOutcomes outcomes;
    private final ConcurrentMap<String, ActiveRun> active = new ConcurrentHashMap<>();

    // Touched by the polling thread only.
    private final Map<String, Instant> announcedDue = new HashMap<>();
    private final Map<String, Instant> announcedWaiting = new HashMap<>();
    private final Set<String> loggedWaiting = new HashSet<>();

    private volatile boolean retired;
    /** A store other servers write too (not the files): what they change is announced here. */
    private final boolean shared;

    private boolean readOnce;
    /**
     * The latest runs this scheduler launched (it announces them itself), so that the runs of a
     * shared store it announces are those of the other servers; bounded, the oldest forgotten.
     */
    private final Set<String> ownRuns = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > OWN_RUNS_REMEMBERED;
        }
    });

    WorkspaceScheduler(SchedulerContext ctx, WorkspaceTaskStore store) {
        this.ctx = ctx;
        this.store = store;
        this.events = new WorkspaceEvents(
                ctx.events(), ctx.serverId(), store.workspace().id());
        this.cache = new TaskCache(store);
        this.errors = new PendingTaskErrors(store, events, ctx.clock());
        this.claims = new RunClaims(ctx, store, cache);
        this.abandoned = new AbandonedRuns(ctx.serverId(), store, events, cache, active);
        this.outcomes = new RunOutcomes(ctx, store, events, errors, cache, active);
        this.shared = !FileHeartbeatTaskStore.isFileStore(store);
    }

    String workspaceId() {
        return store.workspace().id();
    }

    Path stateRoot() {
        return store.workspace().stateRoot();
    }

    WorkspaceTaskStore store() {
        return store;
    }

    /** Makes the next poll re-read the tasks (a change was made in this JVM). */
    void changed() {
        cache.invalidate();
    }

    /** No new runs from now on; runs in progress finish and record themselves. */
    void retire() {
        retired = true;
    }

    /** Runs in progress, and ended runs whose result waits for the store. */
    int activeRuns() {
        return active.size();
    }

    /** Ended runs whose result waits for the store. */
    int pendingResults() {
        return outcomes.pendingCount();
    }

    /**
     * One look at the workspace.
     *
     * @return the latest time this workspace wants to be polled again: its next due time or
     *         lease renewal, capped at one poll interval from now
     */
    Instant poll() {
        SchedulerSettings cfg = ctx.settings().get();
        Instant now = ctx.clock().instant();
        Instant next = now.plus(cfg.pollInterval());
        next = outcomes.retryPending(now, next); // first: it works even when the rest of the poll cannot
        Map<String, HeartbeatTask> before = shared && readOnce ? cache.byId() : null;
        if (cache.refresh(now, cfg)) {
            if (before != null) {
                announceStoreChanges(before, cache.byId());
            }
            readOnce = true;
            announcedDue.keySet().retainAll(cache.ids());
            announcedWaiting.keySet().retainAll(cache.ids());
            loggedWaiting.retainAll(cache.ids());
        }
        errors.record(cache);
        next = claims.renew(active.values(), now, cfg, next);
        if (retired) {
            return next;
        }
        List<HeartbeatTask> tasks = cache.all();
        tasks.sort(Comparator.comparing((HeartbeatTask t) -> {
                    Instant due = TaskTransitions.dueAt(t);
                    return due == null ? Instant.MAX : due;
                })
                .thenComparing(HeartbeatTask::id));
        for (HeartbeatTask task : tasks) {
            if (active.containsKey(task.id())) {
                continue;
            }
            HeartbeatTask t = task;
            Optional<HeartbeatTaskRunner> runner = ctx.runners().find(t.runner());
            if (runner.isEmpty() && t.state().status() == HeartbeatTaskStatus.RUNNING) {
                continue; // neither run nor recovered here: a task of a kind this server cannot run is not touched
            }
            if (t.state().status() == HeartbeatTaskStatus.RUNNING) {
                t = abandoned.recoverIfAbandoned(t.id(), now);
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
                events.post(HeartbeatEvents.TASK_DUE, t.id(), null, "dueAt", JsonFields.format(due));
            }
            if (runner.isEmpty()) {
                announceWaitingForRunner(t, due);
                continue;
            }
            if (!ctx.slots().tryAcquire()) {
                continue; // a finishing run frees a slot and wakes the scheduler
            }
            ActiveRun claimed = null;
            try {
                claimed = claims.claim(t, due, now, cfg);
            } catch (RuntimeException e) {
                errors.storeFailed(t.id(), null, "Could not start a run: " + e.getMessage());
            }
            if (claimed == null) {
                ctx.slots().release();
                continue;
            }
            launch(claimed, runner.get());
        }
        return next;
    }

    /**
     * Tasks of a shared store changed since the last read (by any server, this one included):
     * announced to this server's event clients as {@code TASK_CREATED}, {@code TASK_DELETED}, or
     * {@code TASK_UPDATED} with change {@code stored} and the task's status and last run, so that
     * every server sharing the store shows the namespace's changes within a poll interval.
     */
    private void announceStoreChanges(Map<String, HeartbeatTask> before, Map<String, HeartbeatTask> after) {
        for (Map.Entry<String, HeartbeatTask> e : after.entrySet()) {
            HeartbeatTask old = before.get(e.getKey());
            HeartbeatTask now = e.getValue();
            if (old == null) {
                events.post(
                        HeartbeatEvents.TASK_CREATED,
                        now.id(),
                        null,
                        "name",
                        now.name(),
                        HeartbeatEvents.CHANGE,
                        "stored");
            } else if (!old.equals(now)) {
                events.post(
                        HeartbeatEvents.TASK_UPDATED,
                        now.id(),
                        now.state().lastRunId(),
                        HeartbeatEvents.CHANGE,
                        "stored",
                        "status",
                        now.state().status().wireName());
                announceRunOfAnotherServer(old, now);
            }
        }
        for (String id : before.keySet()) {
            if (!after.containsKey(id)) {
                events.post(HeartbeatEvents.TASK_DELETED, id, null, HeartbeatEvents.CHANGE, "stored");
            }
        }
    }

    /**
     * A run of another server, seen in the shared store: announced as {@code TASK_STARTED} while it
     * runs, and {@code TASK_FINISHED} or {@code TASK_FAILED} once its task shows its end (with
     * change {@code stored}), as this server announces its own runs. A run that started and ended
     * between two reads is announced as ended only.
     */
    private void announceRunOfAnotherServer(HeartbeatTask old, HeartbeatTask now) {
        String runId = now.state().lastRunId();
        if (runId == null || ownRuns.contains(runId)) {
            return;
        }
        boolean newRun = !runId.equals(old.state().lastRunId());
        boolean wasRunning = !newRun && old.state().status() == HeartbeatTaskStatus.RUNNING;
        HeartbeatTaskStatus status = now.state().status();
        if (status == HeartbeatTaskStatus.RUNNING) {
            if (!wasRunning) {
                events.post(
                        HeartbeatEvents.TASK_STARTED,
                        now.id(),
                        runId,
                        "runner",
                        now.runner(),
                        HeartbeatEvents.CHANGE,
                        "stored");
            }
        } else if (newRun || wasRunning) {
            boolean failed = status == HeartbeatTaskStatus.FAILED;
            events.post(
                    failed ? HeartbeatEvents.TASK_FAILED : HeartbeatEvents.TASK_FINISHED,
                    now.id(),
                    runId,
                    failed ? "error" : "summary",
                    failed ? now.state().error() : now.state().result(),
                    "status",
                    status.wireName(),
                    HeartbeatEvents.CHANGE,
                    "stored");
        }
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
            LOG.warn("Workspace {}: heartbeat task {}: {}", workspaceId(), t.id(), message);
        }
        events.post(HeartbeatEvents.TASK_WAITING, t.id(), null, "runner", t.runner(), "message", message);
    }

    private void launch(ActiveRun a, HeartbeatTaskRunner runner) {
        active.put(a.taskId(), a);
        ownRuns.add(a.runId());
        events.post(
                HeartbeatEvents.TASK_STARTED,
                a.taskId(),
                a.runId(),
                "runner",
                a.task.runner(),
                "trigger",
                a.run.trigger(),
                "dueAt",
                JsonFields.format(a.run.dueAt()));
        try {
            ctx.workers().execute(() -> outcomes.execute(a, runner));
        } catch (RejectedExecutionException e) {
            outcomes.interrupt(a, "interrupted: the scheduler of server " + ctx.serverId() + " was stopping");
        }
    }

    // --- stopping ---

    /** Asks every run in progress to stop: sets its cancelled flag and interrupts its thread. */
    void cancelRuns() {
        for (ActiveRun a : active.values()) {
            a.cancel();
        }
    }

    /**
     * Records every run still in progress as interrupted (the runner did not stop in time), and
     * offers the results still waiting for the store a last time.
     */
    void interruptRemaining(String why) {
        outcomes.giveUpPending();
        for (ActiveRun a : new ArrayList<>(active.values())) {
            a.cancelled = true;
            outcomes.interrupt(a, why);
        }
    }
}
