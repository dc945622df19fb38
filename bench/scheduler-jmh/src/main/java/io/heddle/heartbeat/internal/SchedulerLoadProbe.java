package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatSchedule;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Measures the scheduler as it runs in a server, with its own timer and worker threads,
 * 1,000 tasks across 10 workspaces on real files:
 * <ol>
 * <li><b>idle</b>: no task due; the CPU time the process (and the scheduler's threads alone)
 *     used over a wall interval, as a share of one core;</li>
 * <li><b>due</b>: some of the tasks have a 10 s interval with slots spread evenly, the others
 *     stay idle; the latency from each slot to its claim (the run's {@code startedAt}) and to its
 *     runner being called. Run twice: 20 due tasks (2 runs per second, a busy workstation) and
 *     200 (20 runs per second, a stress load whose fsyncs compete with each other).</li>
 * </ol>
 * Arguments: {@code [idleSeconds] [dueSeconds]} (defaults 30 and 30). Not a JMH benchmark: both
 * figures are about background threads over wall time, which JMH's harness does not measure.
 */
public final class SchedulerLoadProbe {

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int dueSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        System.out.println("Heartbeat scheduler load probe: 10 workspaces x 100 tasks, poll interval "
                + SchedulerSettings.defaults().pollInterval().toMillis() + " ms, "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version"));
        idle(idleSeconds);
        due(dueSeconds, 20);
        due(dueSeconds, 200);
    }

    private static void idle(int seconds) throws Exception {
        try (BenchWorkspaces world = new BenchWorkspaces(10, 100, BenchWorkspaces.TaskShape.IDLE)) {
            world.install(c -> {});
            SchedulerSession session = world.timedSession("bench-idle");
            Thread.sleep(5_000); // warm-up: first reads, JIT
            Cpu before = Cpu.now();
            Thread.sleep(seconds * 1000L);
            Cpu after = Cpu.now();
            session.stop();
            double wall = (after.wallNanos - before.wallNanos) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "idle: %d s wall; process CPU %.3f s = %.3f%% of one core; "
                            + "scheduler threads %.4f s = %.4f%% of one core%n",
                    Math.round(wall),
                    (after.processNanos - before.processNanos) / 1e9,
                    100.0 * (after.processNanos - before.processNanos) / (after.wallNanos - before.wallNanos),
                    (after.schedulerNanos - before.schedulerNanos) / 1e9,
                    100.0 * (after.schedulerNanos - before.schedulerNanos) / (after.wallNanos - before.wallNanos));
        }
    }

    private static void due(int seconds, int dueTasks) throws Exception {
        long intervalMs = 10_000;
        int stride = 1000 / dueTasks;
        Instant[] firstSlot = new Instant[1];
        BenchWorkspaces.TaskShape shape = (i, now) -> {
            if (firstSlot[0] == null) {
                firstSlot[0] = now.plusSeconds(5);
            }
            if (i % stride != 0) { // the others stay idle
                return BenchWorkspaces.TaskShape.IDLE.schedule(i, now);
            }
            int k = i / stride;
            return new HeartbeatSchedule(intervalMs, firstSlot[0].plusMillis(k * intervalMs / dueTasks));
        };
        List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        List<Long> claimMicros = Collections.synchronizedList(new ArrayList<>());
        try (BenchWorkspaces world = new BenchWorkspaces(10, 100, shape)) {
            world.install(c -> {
                Instant slot = c.task().schedule().nextRunAt();
                latenciesMicros.add(Duration.between(slot, Instant.now()).toNanos() / 1000);
                claimMicros.add(Duration.between(slot, c.task().state().runAt()).toNanos() / 1000);
            });
            SchedulerSession session = world.timedSession("bench-due");
            Cpu before = Cpu.now();
            Thread.sleep(5_000L + seconds * 1000L);
            Cpu after = Cpu.now();
            session.stop();
            List<Long> sorted = sorted(latenciesMicros);
            List<Long> claims = sorted(claimMicros);
            System.out.printf(
                    Locale.ROOT,
                    "due: %d runs in %d s (%d due per second); process CPU %.1f%% of one core%n",
                    sorted.size(),
                    seconds,
                    dueTasks * 1000 / intervalMs,
                    100.0 * (after.processNanos - before.processNanos) / (after.wallNanos - before.wallNanos));
            System.out.println("  slot to claim (run startedAt): " + summary(claims));
            System.out.println("  slot to runner called:         " + summary(sorted));
        }
    }

    private static List<Long> sorted(List<Long> samples) {
        List<Long> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        Collections.sort(copy);
        return copy;
    }

    private static String summary(List<Long> sorted) {
        return String.format(
                Locale.ROOT,
                "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
                pct(sorted, 50),
                pct(sorted, 90),
                pct(sorted, 99),
                sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1000.0;
    }

    /** CPU time of the process and of the scheduler's own threads, at one wall instant. */
    private record Cpu(long wallNanos, long processNanos, long schedulerNanos) {
        static Cpu now() {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long scheduler = 0;
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("heddle-heartbeat-")) {
                    long t = threads.getThreadCpuTime(info.getThreadId());
                    scheduler += Math.max(0, t);
                }
            }
            return new Cpu(System.nanoTime(), os.getProcessCpuTime(), scheduler);
        }
    }
}
