package io.heddle.itest;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for an asynchronous effect up to a deadline, checking often; it never waits for time itself. */
final class Eventually {

    private Eventually() {
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void until(String what, Duration deadline, Check check) {
        long end = System.nanoTime() + deadline.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > end) {
                AssertionError error = new AssertionError("Timed out after " + deadline.toMillis() + " ms waiting for: "
                        + what);
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(20); // a polling pause, not a wait for the effect itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    static <T> T value(String what, Duration deadline, Callable<T> supplier) {
        Object[] holder = new Object[1];
        until(what, deadline, () -> {
            holder[0] = supplier.call();
            return holder[0] != null;
        });
        @SuppressWarnings("unchecked")
        T t = (T) holder[0];
        return t;
    }
}
