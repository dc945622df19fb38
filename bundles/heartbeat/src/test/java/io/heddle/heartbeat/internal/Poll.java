package io.heddle.heartbeat.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for an effect on another thread, up to a deadline (it never waits for time itself to pass). */
final class Poll {

    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }

    static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
