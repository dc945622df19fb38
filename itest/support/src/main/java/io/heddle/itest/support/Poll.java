package io.heddle.itest.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for an asynchronous effect (another thread's, process's or bundle's doing) by checking
 * a condition until it holds or a deadline passes. It never waits for time itself to pass: a test
 * that needs time to move uses {@link MutableClock}. The one poll helper of every Heddle test.
 */
public final class Poll {

    /** The deadline of {@link #until(String, Condition)}. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    private static final long FIRST_PAUSE_NANOS = 1_000_000L;
    private static final long LONGEST_PAUSE_NANOS = 16_000_000L;

    private Poll() {}

    /** What a poll checks; it may throw, which counts as "not yet" (the last exception is kept as the cause). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@link #DEFAULT_DEADLINE}. */
    public static void until(String what, Condition condition) {
        until(what, DEFAULT_DEADLINE, condition);
    }

    /**
     * Polls {@code condition} until it holds; fails naming {@code what} after {@code deadline}. An
     * exception from the condition counts as "not yet"; if the deadline passes, the last one is the
     * cause of the failure. Errors (a failed assertion inside the condition) end the wait at once.
     */
    public static void until(String what, Duration deadline, Condition condition) {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError failure =
                        new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting until " + what);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            // a short pause between checks (growing to 16 ms), not a wait for the effect itself
            LockSupport.parkNanos(pause);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what);
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
        }
    }
}
