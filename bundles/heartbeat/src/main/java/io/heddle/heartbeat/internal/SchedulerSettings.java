package io.heddle.heartbeat.internal;

import java.time.Duration;

/**
 * The scheduler's tunables (configuration PID {@code io.heddle.heartbeat.scheduler}).
 *
 * @param pollInterval   the longest a scheduler sleeps before it looks at its task files again
 *                       (it also wakes at the next due time, and at once on changes made in this JVM)
 * @param maxConcurrent  runs at once per server
 * @param historyLimit   runs kept per task; older ones are pruned
 * @param stopTimeout    how long a stopping scheduler lets running tasks finish before interrupting them
 * @param retryBackoff   the wait before the first retry of a failed task; doubles per further failure
 * @param maxRetryBackoff the longest retry wait
 * @param leaseTtl       how long a run's lease lasts without renewal (renewed every third of it)
 * @param minInterval    the shortest task interval accepted
 * @param rescanInterval how often the task files' stamps are checked even if the revision did not change
 *                       (finds hand edits; only changed files are read)
 */
record SchedulerSettings(
        Duration pollInterval,
        int maxConcurrent,
        int historyLimit,
        Duration stopTimeout,
        Duration retryBackoff,
        Duration maxRetryBackoff,
        Duration leaseTtl,
        Duration minInterval,
        Duration rescanInterval) {

    static SchedulerSettings defaults() {
        return new SchedulerSettings(
                Duration.ofSeconds(1),
                4,
                50,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10));
    }

    SchedulerSettings {
        pollInterval = atLeast(pollInterval, Duration.ofMillis(10));
        maxConcurrent = Math.max(1, maxConcurrent);
        historyLimit = Math.max(1, historyLimit);
        stopTimeout = atLeast(stopTimeout, Duration.ZERO);
        retryBackoff = atLeast(retryBackoff, Duration.ofMillis(1));
        maxRetryBackoff = atLeast(maxRetryBackoff, retryBackoff);
        leaseTtl = atLeast(leaseTtl, Duration.ofMillis(300));
        minInterval = atLeast(minInterval, Duration.ofMillis(1));
        rescanInterval = atLeast(rescanInterval, pollInterval);
    }

    private static Duration atLeast(Duration value, Duration min) {
        return value == null || value.compareTo(min) < 0 ? min : value;
    }
}
