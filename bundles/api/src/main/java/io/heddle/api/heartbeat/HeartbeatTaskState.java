package io.heddle.api.heartbeat;

import java.time.Instant;
import java.util.Objects;

/**
 * The live state of a task.
 *
 * @param status         where the task stands
 * @param progress       the last progress line a running runner reported, or null
 * @param runAt          when the last run started, or null
 * @param result         the summary of the last finished run, or null
 * @param error          why the last run failed or was interrupted, or null
 * @param updatedAt      when the state last changed
 * @param needs          what a waiting or blocked task waits for: {@code "resume"} or {@code "runner"}; null otherwise
 * @param message        a sentence for the operator that explains the status, or null
 * @param failures       consecutive failed runs (drives the retry backoff)
 * @param lastRunId      the id of the last run, or null
 * @param runRequestedAt when a run-now or resume asked for an immediate run not yet started, or null
 * @param lastError      the last failure to record this task's run or state, or null; kept, with
 *                       its time, until a newer one replaces it or the task is resumed
 */
public record HeartbeatTaskState(
        HeartbeatTaskStatus status,
        String progress,
        Instant runAt,
        String result,
        String error,
        Instant updatedAt,
        String needs,
        String message,
        int failures,
        String lastRunId,
        Instant runRequestedAt,
        HeartbeatTaskError lastError) {

    public static final String NEEDS_RESUME = "resume";
    public static final String NEEDS_RUNNER = "runner";

    public HeartbeatTaskState {
        Objects.requireNonNull(status, "status");
        failures = Math.max(0, failures);
    }

    /** A state without a {@link #lastError()} (the constructor of version 1.1 of this package). */
    public HeartbeatTaskState(
            HeartbeatTaskStatus status,
            String progress,
            Instant runAt,
            String result,
            String error,
            Instant updatedAt,
            String needs,
            String message,
            int failures,
            String lastRunId,
            Instant runRequestedAt) {
        this(
                status,
                progress,
                runAt,
                result,
                error,
                updatedAt,
                needs,
                message,
                failures,
                lastRunId,
                runRequestedAt,
                null);
    }

    /** This state with {@code lastError} replaced. */
    public HeartbeatTaskState withLastError(HeartbeatTaskError next) {
        return new HeartbeatTaskState(
                status,
                progress,
                runAt,
                result,
                error,
                updatedAt,
                needs,
                message,
                failures,
                lastRunId,
                runRequestedAt,
                next);
    }

    /** The state of a task that was just created. */
    public static HeartbeatTaskState created(Instant now) {
        return new HeartbeatTaskState(HeartbeatTaskStatus.IDLE, null, null, null, null, now, null, null, 0, null, null);
    }
}
