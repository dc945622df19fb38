package io.heddle.heartbeat.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a tick on one daemon thread: each tick answers when it wants the next one, and
 * {@link #wakeNow()} brings the next tick forward (changes made in this JVM, a freed run slot,
 * a new runner). Idle, it wakes only at the next due time or poll interval, so an idle
 * scheduler costs next to nothing.
 */
final class TickTimer {

    private static final Logger LOG = LoggerFactory.getLogger(TickTimer.class);

    private final ScheduledThreadPoolExecutor executor;
    private final Supplier<Instant> tick;
    private final Clock clock;
    private ScheduledFuture<?> pending;
    private Instant pendingAt;
    private boolean stopped;

    TickTimer(String threadName, Clock clock, Supplier<Instant> tick) {
        this.clock = clock;
        this.tick = tick;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    void wakeNow() {
        wakeAt(clock.instant());
    }

    synchronized void wakeAt(Instant at) {
        if (stopped) {
            return;
        }
        if (pending != null && !pending.isDone() && !pendingAt.isAfter(at)) {
            return;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        long delayMicros = Math.max(0, Duration.between(clock.instant(), at).toNanos() / 1000);
        pendingAt = at;
        pending = executor.schedule(this::run, delayMicros, TimeUnit.MICROSECONDS);
    }

    private void run() {
        synchronized (this) {
            pending = null;
            pendingAt = null;
            if (stopped) {
                return;
            }
        }
        Instant next;
        try {
            next = tick.get();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Heartbeat scheduler tick failed; trying again in a second", e);
            next = clock.instant().plusSeconds(1);
        }
        wakeAt(next);
    }

    /** Stops ticking; waits up to {@code wait} for a tick in progress to end. */
    void stop(Duration wait) {
        synchronized (this) {
            stopped = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        executor.shutdown();
        try {
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
