package io.heddle.heartbeat.internal;

import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the workspace schedulers of one server share: who they are, their clock and settings,
 * the runners, where events go, the run slots and worker threads, and how to wake the timer.
 *
 * @param serverId the server the schedulers run for (leases and run records name it)
 * @param clock    the scheduler's clock: due times, run times (leases are timed by the store)
 * @param settings read at every poll, so configuration changes apply at once
 * @param runners  the runner services present, by kind
 * @param events   where scheduler events go (must not block)
 * @param slots    the server's run slots
 * @param workers  where runs execute
 * @param wake     asks the timer for a poll soon (a run ended, a slot is free)
 */
record SchedulerContext(
        String serverId,
        Clock clock,
        Supplier<SchedulerSettings> settings,
        RunnerDirectory runners,
        SchedulerEvents events,
        RunSlots slots,
        Executor workers,
        Runnable wake) {}
