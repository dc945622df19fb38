package io.heddle.itest.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for an asynchronous effect with a deadline; never sleeps for a fixed time to let time pass. */
public class Poll {

    /** Not instantiable; open only so {@code io.heddle.itest.Poll} can keep its name for older tests. */
    protected Poll() {
    }

    /** Polls {@code condition} until true; fails with {@code what} after {@code deadline}. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }
}
