package io.heddle.heartbeat.internal;

import java.util.function.IntSupplier;

/**
 * The run slots of one server: at most {@code maxConcurrentTasks} runs at once. A task is
 * claimed only once a slot is free, so a task never waits in a queue marked as running.
 */
final class RunSlots {

    private final IntSupplier max;
    private int used;

    RunSlots(IntSupplier max) {
        this.max = max;
    }

    synchronized boolean tryAcquire() {
        if (used >= max.getAsInt()) {
            return false;
        }
        used++;
        return true;
    }

    synchronized void release() {
        if (used > 0) {
            used--;
        }
    }

    synchronized int used() {
        return used;
    }
}
