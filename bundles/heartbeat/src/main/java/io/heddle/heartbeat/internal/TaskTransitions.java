package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * The rules of a task's life, as pure functions of the task and the time: when it is due, and
 * what a run's outcome makes of it.
 *
 * <ul>
 * <li>Runnable: enabled, and {@code idle}, {@code failed}, or {@code waiting} for a runner.
 *     {@code blocked}, {@code waiting} for a resume and {@code complete} run again only through
 *     a resume; {@code running} belongs to its lease.</li>
 * <li>Due: at its next slot, or at once after a run-now or resume request.</li>
 * <li>Catch-up: the next slot after a run is the first slot after the run's end, so a schedule
 *     missed for many intervals (downtime, sleep) runs once, not once per missed slot.</li>
 * <li>Decisions: continue {@literal ->} idle at the next slot; pause {@literal ->} waiting for a
 *     resume; complete {@literal ->} complete, no next slot; escalate {@literal ->} blocked until
 *     an operator resumes it.</li>
 * <li>Failure: failed, retried after {@code retryBackoff * 2^(failures-1)}, at most
 *     {@code maxRetryBackoff}.</li>
 * <li>{@code lastError} (a failure to record the task) is kept through every transition, with
 *     its time; only a resume clears it, or a newer failure replaces it.</li>
 * </ul>
 */
final class TaskTransitions {

    static final String TRIGGER_SCHEDULE = "schedule";
    static final String TRIGGER_REQUEST = "request";

    private TaskTransitions() {}

    static boolean runnable(HeartbeatTask t) {
        if (!t.enabled()) {
            return false;
        }
        HeartbeatTaskState s = t.state();
        switch (s.status()) {
            case IDLE:
            case FAILED:
                return true;
            case WAITING:
                return HeartbeatTaskState.NEEDS_RUNNER.equals(s.needs());
            default:
                return false;
        }
    }

    /** When the task is due, or null when it is not runnable (or has no slot). */
    static Instant dueAt(HeartbeatTask t) {
        if (!runnable(t)) {
            return null;
        }
        Instant requested = t.state().runRequestedAt();
        Instant slot = t.schedule().nextRunAt();
        if (requested == null) {
            return slot;
        }
        return slot == null || requested.isBefore(slot) ? requested : slot;
    }

    static boolean due(HeartbeatTask t, Instant now) {
        Instant due = dueAt(t);
        return due != null && !due.isAfter(now);
    }

    /** What triggered a run that starts now: an operator's request wins over a slot that is due too. */
    static String trigger(HeartbeatTask t) {
        return t.state().runRequestedAt() != null ? TRIGGER_REQUEST : TRIGGER_SCHEDULE;
    }

    /**
     * The first slot strictly after {@code now}, keeping the phase of {@code slot}; a slot still
     * in the future (a requested run came before it) is kept.
     */
    static Instant nextSlot(Instant slot, long intervalMs, Instant now) {
        if (slot == null) {
            return now.plusMillis(intervalMs);
        }
        if (slot.isAfter(now)) {
            return slot;
        }
        long behind = Duration.between(slot, now).toMillis();
        long steps = behind / intervalMs + 1;
        return slot.plusMillis(Math.multiplyExact(steps, intervalMs));
    }

    static Duration backoff(int failures, Duration base, Duration max) {
        int n = Math.max(1, failures);
        if (n > 30) {
            return max;
        }
        Duration d = base.multipliedBy(1L << (n - 1));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** The run record of a run the claim of {@code t} starts, as the worker writes it when it begins. */
    static HeartbeatRun startedRun(HeartbeatTask t, String runId, String workspaceId, String serverId, Instant now) {
        return new HeartbeatRun(
                runId,
                t.id(),
                workspaceId,
                serverId,
                t.runner(),
                trigger(t),
                dueAt(t),
                now,
                null,
                HeartbeatRunStatus.RUNNING,
                null,
                null,
                null,
                null);
    }

    /** The task as a run claims it. */
    static HeartbeatTask started(HeartbeatTask t, String runId, Instant now) {
        HeartbeatTaskState s = t.state();
        return t.withState(new HeartbeatTaskState(
                        HeartbeatTaskStatus.RUNNING,
                        null,
                        now,
                        s.result(),
                        s.error(),
                        now,
                        null,
                        null,
                        s.failures(),
                        runId,
                        null,
                        s.lastError()))
                .withUpdatedAt(now);
    }

    /** The task after its runner decided. */
    static HeartbeatTask decided(HeartbeatTask t, HeartbeatRunResult result, Instant now) {
        HeartbeatTaskState s = t.state();
        HeartbeatSchedule schedule = t.schedule();
        String summary = result.summary();
        HeartbeatTaskState next;
        switch (result.decision()) {
            case PAUSE:
                next = new HeartbeatTaskState(
                        HeartbeatTaskStatus.WAITING,
                        null,
                        s.runAt(),
                        summary,
                        null,
                        now,
                        HeartbeatTaskState.NEEDS_RESUME,
                        "The runner paused the task; it runs again after a resume.",
                        0,
                        s.lastRunId(),
                        null);
                break;
            case COMPLETE:
                next = new HeartbeatTaskState(
                        HeartbeatTaskStatus.COMPLETE,
                        null,
                        s.runAt(),
                        summary,
                        null,
                        now,
                        null,
                        "The runner declared the task complete; a resume starts it again.",
                        0,
                        s.lastRunId(),
                        null);
                schedule = new HeartbeatSchedule(schedule.intervalMs(), null);
                break;
            case ESCALATE:
                next = new HeartbeatTaskState(
                        HeartbeatTaskStatus.BLOCKED,
                        null,
                        s.runAt(),
                        summary,
                        null,
                        now,
                        HeartbeatTaskState.NEEDS_RESUME,
                        "The runner escalated; the task waits for an operator resume.",
                        0,
                        s.lastRunId(),
                        null);
                break;
            case CONTINUE:
            default:
                next = new HeartbeatTaskState(
                        HeartbeatTaskStatus.IDLE,
                        null,
                        s.runAt(),
                        summary,
                        null,
                        now,
                        null,
                        null,
                        0,
                        s.lastRunId(),
                        null);
                break;
        }
        if (result.decision() != HeartbeatDecision.COMPLETE) {
            schedule = new HeartbeatSchedule(
                    schedule.intervalMs(), nextSlot(schedule.nextRunAt(), schedule.intervalMs(), now));
        }
        return t.withState(next.withLastError(s.lastError()))
                .withSchedule(schedule)
                .withUpdatedAt(now);
    }

    /** The task after a failed run: retried after the backoff. */
    static HeartbeatTask failed(HeartbeatTask t, String error, Instant now, Duration base, Duration max) {
        HeartbeatTaskState s = t.state();
        int failures = s.failures() + 1;
        Duration wait = backoff(failures, base, max);
        HeartbeatTaskState next = new HeartbeatTaskState(
                HeartbeatTaskStatus.FAILED,
                null,
                s.runAt(),
                s.result(),
                error,
                now,
                null,
                "Failed " + failures + " time(s) in a row; retrying in " + wait.toMillis() + " ms.",
                failures,
                s.lastRunId(),
                null);
        return t.withState(next.withLastError(s.lastError()))
                .withSchedule(new HeartbeatSchedule(t.schedule().intervalMs(), now.plus(wait)))
                .withUpdatedAt(now);
    }

    /**
     * The task after its run was interrupted (server stop, or its owner vanished): idle again
     * and still due, so the next scheduler runs it once; a pending request is kept.
     */
    static HeartbeatTask interrupted(HeartbeatTask t, String why, Instant requestedAt, Instant now) {
        HeartbeatTaskState s = t.state();
        HeartbeatTaskState next = new HeartbeatTaskState(
                HeartbeatTaskStatus.IDLE,
                null,
                s.runAt(),
                s.result(),
                why,
                now,
                null,
                null,
                s.failures(),
                s.lastRunId(),
                requestedAt,
                s.lastError());
        return t.withState(next).withUpdatedAt(now);
    }

    /**
     * How a task whose runner kind is not installed is shown: a runnable task (enabled, idle or
     * failed) reads as {@code waiting} with {@code needs: "runner"} and a message naming the
     * kind. Nothing is written: the file keeps its state, and the task runs as soon as a runner
     * of its kind appears. Other tasks are shown as they are.
     */
    static HeartbeatTask shownWaitingForRunner(HeartbeatTask t) {
        if (!runnable(t) || waitingForRunner(t)) {
            return t;
        }
        HeartbeatTaskState s = t.state();
        HeartbeatTaskState shown = new HeartbeatTaskState(
                HeartbeatTaskStatus.WAITING,
                s.progress(),
                s.runAt(),
                s.result(),
                s.error(),
                s.updatedAt(),
                HeartbeatTaskState.NEEDS_RUNNER,
                waitingMessage(t.runner()),
                s.failures(),
                s.lastRunId(),
                s.runRequestedAt(),
                s.lastError());
        return t.withState(shown);
    }

    static String waitingMessage(String runner) {
        return "Waiting for a runner of kind '" + runner + "': no installed bundle provides a "
                + "HeartbeatTaskRunner service with heddle.runner=" + runner
                + ". The task runs as soon as one appears.";
    }

    static boolean waitingForRunner(HeartbeatTask t) {
        return t.state().status() == HeartbeatTaskStatus.WAITING
                && HeartbeatTaskState.NEEDS_RUNNER.equals(t.state().needs());
    }
}
