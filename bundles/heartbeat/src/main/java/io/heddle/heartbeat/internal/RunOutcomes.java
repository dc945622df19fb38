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
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a claimed task on a worker thread and records its outcome exactly once: the run record,
 * the task's new state (as edited meanwhile, apart from the outcome), the lease released, the
 * history pruned, the event posted. The worker and a stopping session may race to record; the
 * first one wins.
 */
final class RunOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(RunOutcomes.class);

    private final SchedulerContext ctx;
    private final WorkspaceTaskStore store;
    private final WorkspaceEvents events;
    private final PendingTaskErrors errors;
    private final TaskCache cache;
    private final Map<String, ActiveRun> active;

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
     * recorded as superseded.
     */
    private void complete(
            ActiveRun a, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome, String topic, Object... extra) {
        synchronized (a) {
            if (!a.finalized.compareAndSet(false, true)) {
                return;
            }
            try {
                Completion done = store.complete(a.lease, run, outcome);
                if (done.runNotRecorded() != null) {
                    errors.storeFailed(
                            a.taskId(),
                            a.runId(),
                            "Could not record the end of run " + a.runId() + ": " + done.runNotRecorded());
                }
                if (done.result() != Completion.Result.TASK_DELETED) {
                    store.retainRuns(a.taskId(), ctx.settings().get().historyLimit());
                    Object[] all = new Object[extra.length + 2];
                    System.arraycopy(extra, 0, all, 0, extra.length);
                    all[extra.length] = "status";
                    all[extra.length + 1] = done.task().state().status().wireName();
                    events.post(topic, a.taskId(), a.runId(), all);
                }
            } catch (RuntimeException e) {
                errors.storeFailed(
                        a.taskId(), a.runId(), "Could not record the end of run " + a.runId() + ": " + e.getMessage());
            } finally {
                active.remove(a.taskId(), a);
                ctx.slots().release();
                cache.invalidate();
                ctx.wake().run();
            }
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
