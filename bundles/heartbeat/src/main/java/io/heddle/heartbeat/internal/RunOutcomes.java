package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a claimed task on a worker thread and records its outcome exactly once: the run record,
 * the task's new state (as edited meanwhile, apart from the outcome), the lease released, the
 * history pruned, the event posted. The worker and a stopping session may race to record; the
 * first one wins. A result the store cannot take (it is down) is offered again at every poll,
 * with backoff, until the store answers.
 */
final class RunOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(RunOutcomes.class);

    private final SchedulerContext ctx;
    private final WorkspaceTaskStore store;
    private final WorkspaceEvents events;
    private final PendingTaskErrors errors;
    private final TaskCache cache;
    private final Map<String, ActiveRun> active;
    /** Results the store could not take yet, by task id. */
    private final ConcurrentMap<String, PendingOutcome> pending = new ConcurrentHashMap<>();

    RunOutcomes(
            SchedulerContext ctx,
            WorkspaceTaskStore store,
            WorkspaceEvents events,
            PendingTaskErrors errors,
            TaskCache cache,
            Map<String, ActiveRun> active) {
        this.ctx = ctx;
        this.store = store;
        this.events = events;
        this.errors = errors;
        this.cache = cache;
        this.active = active;
    }

    /** On a worker: records the start, calls the runner, records what came of it. */
    void execute(ActiveRun a, HeartbeatTaskRunner runner) {
        synchronized (a) {
            if (a.finalized.get()) {
                return;
            }
            try {
                store.started(a.lease, a.run);
            } catch (RuntimeException e) {
                errors.storeFailed(
                        a.taskId(),
                        a.runId(),
                        "Could not record the start of run " + a.runId() + ": " + e.getMessage());
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
            LOG.warn(
                    "Workspace {}: heartbeat task {} (run {}) failed",
                    store.workspace().id(),
                    a.taskId(),
                    a.runId(),
                    e);
        } finally {
            // from here on no cancel interrupts this thread, so the outcome is written in full
            a.leave();
        }
        if (interrupted) {
            interrupt(a, "interrupted: server " + ctx.serverId() + " stopped before the run finished", details);
        } else if (failure != null) {
            fail(a, failure, details);
        } else {
            decide(a, result);
        }
    }

    private void decide(ActiveRun a, HeartbeatRunResult result) {
        Instant now = ctx.clock().instant();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.FINISHED, result, null, result.details(), now);
        complete(
                a,
                run,
                t -> TaskTransitions.decided(t, result, now),
                HeartbeatEvents.TASK_FINISHED,
                "decision",
                result.decision().wireName(),
                "summary",
                result.summary());
    }

    private void fail(ActiveRun a, String error, Map<String, Object> details) {
        Instant now = ctx.clock().instant();
        SchedulerSettings cfg = ctx.settings().get();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.FAILED, null, error, details, now);
        complete(
                a,
                run,
                t -> TaskTransitions.failed(t, error, now, cfg.retryBackoff(), cfg.maxRetryBackoff()),
                HeartbeatEvents.TASK_FAILED,
                "error",
                error,
                "interrupted",
                false);
    }

    /** Records the run as interrupted (the server stops, or could not start it). */
    void interrupt(ActiveRun a, String why) {
        interrupt(a, why, Map.of());
    }

    private void interrupt(ActiveRun a, String why, Map<String, Object> details) {
        Instant now = ctx.clock().instant();
        HeartbeatRun run = ended(a.run, HeartbeatRunStatus.INTERRUPTED, null, why, details, now);
        Instant requestedAt = TaskTransitions.TRIGGER_REQUEST.equals(a.run.trigger()) ? a.run.dueAt() : null;
        complete(
                a,
                run,
                t -> TaskTransitions.interrupted(t, why, requestedAt, now),
                HeartbeatEvents.TASK_FAILED,
                "error",
                why,
                "interrupted",
                true);
    }

    /**
     * Records the end of a run exactly once. A task deleted meanwhile records nothing; a task
     * another server took over after this run's lease lapsed keeps its state, and the run is
     * recorded as superseded. When the store cannot be reached, the result is kept and offered
     * again ({@link #retryPending}) until the store answers: then the fencing rule applies it or
     * records it as superseded. Until then the run stays among the active ones, so this server
     * neither claims nor recovers its task; its run slot is free.
     */
    private void complete(
            ActiveRun a, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome, String topic, Object... extra) {
        synchronized (a) {
            if (!a.finalized.compareAndSet(false, true)) {
                return;
            }
            PendingOutcome p = new PendingOutcome(a, run, outcome, topic, extra);
            try {
                if (!record(p)) {
                    p.attempts = 1;
                    p.retryAt = ctx.clock().instant().plus(backoff(1));
                    pending.put(a.taskId(), p);
                }
            } finally {
                ctx.slots().release();
                cache.invalidate();
                ctx.wake().run();
            }
        }
    }

    /**
     * On the polling thread: offers again the results the store could not take, those whose
     * retry time came. Never throws.
     *
     * @return {@code next}, or the earlier time of the next retry
     */
    Instant retryPending(Instant now, Instant next) {
        for (PendingOutcome p : new ArrayList<>(pending.values())) {
            if (!now.isBefore(p.retryAt)) {
                if (record(p)) {
                    pending.remove(p.active.taskId(), p);
                    continue;
                }
                p.attempts++;
                p.retryAt = now.plus(backoff(p.attempts));
            }
            next = p.retryAt.isBefore(next) ? p.retryAt : next;
        }
        return next;
    }

    /** How many results wait for the store. */
    int pendingCount() {
        return pending.size();
    }

    /**
     * The scheduler stops: offers every waiting result once more; those the store still does not
     * take are given up (logged), and their lease lapses, so that any server recovers the task.
     */
    void giveUpPending() {
        for (PendingOutcome p : new ArrayList<>(pending.values())) {
            pending.remove(p.active.taskId(), p);
            if (!record(p)) {
                active.remove(p.active.taskId(), p.active);
                LOG.warn(
                        "Workspace {}: the result of heartbeat task {} (run {}) could not be recorded before the "
                                + "scheduler stopped; the task is recovered when its lease lapses",
                        store.workspace().id(),
                        p.active.taskId(),
                        p.active.runId());
            }
        }
    }

    /** The wait before the next offer: the poll interval, doubled per failed offer, at most a third of the lease. */
    private Duration backoff(int attempts) {
        SchedulerSettings cfg = ctx.settings().get();
        Duration cap = cfg.leaseTtl().dividedBy(3);
        Duration wait = cfg.pollInterval().multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** Offers the result to the store; true when the store answered (the run no longer needs this server). */
    private boolean record(PendingOutcome p) {
        ActiveRun a = p.active;
        Completion done;
        try {
            done = store.complete(a.lease, p.run, p.outcome);
        } catch (RuntimeException e) {
            errors.storeFailed(
                    a.taskId(),
                    a.runId(),
                    "Could not record the end of run " + a.runId() + " yet; retrying until the store answers: "
                            + e.getMessage());
            return false;
        }
        active.remove(a.taskId(), a);
        cache.invalidate();
        if (p.attempts > 0) {
            errors.resolved(a.taskId());
            LOG.info(
                    "Workspace {}: recorded the end of heartbeat task {} (run {}) after {} failed attempt(s): {}",
                    store.workspace().id(),
                    a.taskId(),
                    a.runId(),
                    p.attempts,
                    done.result());
        }
        if (done.runNotRecorded() != null) {
            errors.storeFailed(
                    a.taskId(),
                    a.runId(),
                    "Could not record the end of run " + a.runId() + ": " + done.runNotRecorded());
        }
        if (done.result() != Completion.Result.TASK_DELETED) {
            try {
                store.retainRuns(a.taskId(), ctx.settings().get().historyLimit());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Workspace {}: could not prune the run history of heartbeat task {}: {}",
                        store.workspace().id(),
                        a.taskId(),
                        e.getMessage());
            }
            Object[] all = new Object[p.extra.length + 2];
            System.arraycopy(p.extra, 0, all, 0, p.extra.length);
            all[p.extra.length] = "status";
            all[p.extra.length + 1] = done.task().state().status().wireName();
            events.post(p.topic, a.taskId(), a.runId(), all);
        }
        return true;
    }

    /** A run's end that the store has not taken yet. */
    private static final class PendingOutcome {
        final ActiveRun active;
        final HeartbeatRun run;
        final UnaryOperator<HeartbeatTask> outcome;
        final String topic;
        final Object[] extra;
        // touched under the run's lock (first offer), then by the polling thread only
        volatile int attempts;
        volatile Instant retryAt;

        PendingOutcome(
                ActiveRun active,
                HeartbeatRun run,
                UnaryOperator<HeartbeatTask> outcome,
                String topic,
                Object[] extra) {
            this.active = active;
            this.run = run;
            this.outcome = outcome;
            this.topic = topic;
            this.extra = extra;
        }
    }

    /** The run record of a run that ended now. */
    static HeartbeatRun ended(
            HeartbeatRun r,
            HeartbeatRunStatus status,
            HeartbeatRunResult result,
            String error,
            Map<String, Object> details,
            Instant now) {
        return new HeartbeatRun(
                r.id(),
                r.taskId(),
                r.workspaceId(),
                r.serverId(),
                r.runner(),
                r.trigger(),
                r.dueAt(),
                r.startedAt(),
                now,
                status,
                result == null ? null : result.decision(),
                result == null ? null : result.summary(),
                details,
                error);
    }
}
