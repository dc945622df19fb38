package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.heartbeat.store.postgres.internal.BenchPostgresStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * Claims of due heartbeat occurrences through the task store SPI, by 1, 2 and 4 servers sharing
 * one PostgreSQL database (one namespace), and by as many servers sharing one workspace's files,
 * in the same run on the same machine.
 *
 * <p>Each server is a thread with its own store instance and its own server id: for PostgreSQL its
 * own {@code PostgresTaskStoreComponent} (connection pool, probe), as a separate server's
 * configuration would build it; for files its own {@code FileHeartbeatTaskStore} on the same
 * workspace folder. All servers share {@code tasks} tasks, every one of them always due. A server
 * goes round the tasks (each starting at its own offset) and does per task what the scheduler does
 * for a due occurrence: {@code claim(taskId, dueAt)}; when granted, {@code started},
 * {@code complete} (the outcome moves the slot 1 ms on, still in the past, so the next occurrence
 * is due at once) and {@code retainRuns(50)}. A refused claim (another server ran or is claiming
 * that occurrence) makes it read the task again, as the scheduler's cache does.
 *
 * <p>Reported per store and server count: granted claims per second over the measured window
 * (each one a completed occurrence), and percentiles of the latency of the {@code claim} call
 * alone, granted and refused apart; also of {@code complete}. Every granted {@code (taskId, dueAt)}
 * is checked to be granted once.
 *
 * <p>System properties: {@code heddle.bench.pg.url}, {@code heddle.bench.pg.user},
 * {@code heddle.bench.pg.passwordEnv} (the database; {@code bench/task-store-claims.sh} starts one),
 * {@code heddle.bench.dir} (where the workspace folders go; default java.io.tmpdir). Arguments:
 * {@code [warmupSeconds] [measureSeconds] [tasks] [serverCounts]} (default 10 20 20 1,2,4).
 *
 * <p>Not a JMH benchmark: the figure is the throughput of several concurrent servers with their
 * own store instances, with untimed work (started, complete) between the timed claims, and the
 * latency of that one call; a plain harness with one clock measures exactly that.
 */
public final class TaskStoreClaimsProbe {

    private static final String RUNNER = "bench";
    private static final Duration LEASE_TTL = Duration.ofSeconds(30);
    private static final int HISTORY_LIMIT = 50;

    public static void main(String[] args) throws Exception {
        int warmupSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int[] serverCounts = Arrays.stream((args.length > 3 ? args[3] : "1,2,4").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        String url = require("heddle.bench.pg.url");
        String base = System.getProperty("heddle.bench.dir", System.getProperty("java.io.tmpdir"));
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of(base)), "heddle-claims-bench");
        System.out.printf(
                Locale.ROOT,
                "Task store claims: %d tasks always due, %d s warm-up + %d s measured per case, %d cores, Java %s%n"
                        + "files under %s; PostgreSQL %s%n",
                tasks,
                warmupSeconds,
                measureSeconds,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                root,
                url);
        List<Result> results = new ArrayList<>();
        try {
            for (int n : serverCounts) {
                Path folder = Files.createDirectories(root.resolve("ws-" + n));
                TaskWorkspace ws = new TaskWorkspace("bench", "bench-" + n, folder, folder.resolve(".heddle"));
                results.add(run("file", n, ws, tasks, warmupSeconds, measureSeconds, i -> fileStore()));
                String namespace =
                        "claims-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
                results.add(
                        run("postgresql", n, ws, tasks, warmupSeconds, measureSeconds, i -> postgresStore(namespace)));
            }
        } finally {
            deleteTree(root);
        }
        System.out.println();
        System.out.println(
                "store       servers  claims/s  claim p50  p90      p99      max    | refused/s  refused p99 |"
                        + " complete p50 p99   | stale | load before the case");
        for (Result r : results) {
            System.out.println(r.line());
        }
        for (int n : serverCounts) {
            Result f = find(results, "file", n);
            Result p = find(results, "postgresql", n);
            System.out.printf(
                    Locale.ROOT,
                    "%d server(s): postgresql/file claims per second %.2f, claim p99 %.2f%n",
                    n,
                    p.claimsPerSecond() / f.claimsPerSecond(),
                    p.granted().pct(99) / f.granted().pct(99));
        }
    }

    private static Result find(List<Result> results, String store, int n) {
        return results.stream()
                .filter(r -> r.store().equals(store) && r.servers() == n)
                .findFirst()
                .orElseThrow();
    }

    private static String require(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-D" + property + " is not set: run bench/task-store-claims.sh");
        }
        return value;
    }

    /** One server's file store: its own instance (and its own FileTaskStore per state root). */
    private static HeartbeatTaskStore fileStore() {
        Clock clock = Clock.systemUTC();
        return new FileHeartbeatTaskStore(
                stateRoot -> new FileTaskStore(stateRoot, clock, new FileTaskStore.CorruptFileListener() {
                    @Override
                    public void setAside(Path file, Path movedTo) {
                        throw new IllegalStateException("corrupt file in the benchmark: " + file);
                    }

                    @Override
                    public void cannotSetAside(Path file, IOException cause) {
                        throw new IllegalStateException("corrupt file in the benchmark: " + file, cause);
                    }
                }),
                clock);
    }

    /** One server's PostgreSQL store: its own pool, as its configuration file would make it. */
    private static HeartbeatTaskStore postgresStore(String namespace) {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("url", System.getProperty("heddle.bench.pg.url"));
        cfg.put("user", require("heddle.bench.pg.user"));
        cfg.put("passwordEnv", require("heddle.bench.pg.passwordEnv"));
        cfg.put("namespace", namespace);
        cfg.put("runners", RUNNER);
        cfg.put("historyLimit", HISTORY_LIMIT);
        return BenchPostgresStores.open(cfg);
    }

    private static void close(HeartbeatTaskStore store) {
        if (!(store instanceof FileHeartbeatTaskStore)) {
            BenchPostgresStores.close(store);
        }
    }

    private static Result run(
            String kind,
            int servers,
            TaskWorkspace ws,
            int tasks,
            int warmupSeconds,
            int measureSeconds,
            IntFunction<HeartbeatTaskStore> open)
            throws Exception {
        String load = loadAverage();
        List<HeartbeatTaskStore> stores = new ArrayList<>();
        try {
            for (int i = 0; i < servers; i++) {
                stores.add(open.apply(i));
            }
            WorkspaceTaskStore first = stores.get(0).workspace(ws);
            Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
            String[] ids = new String[tasks];
            for (int t = 0; t < tasks; t++) {
                ids[t] = String.format(Locale.ROOT, "task-%03d", t);
                first.create(new HeartbeatTask(
                        ids[t],
                        "claims " + t,
                        "benchmark task",
                        true,
                        null,
                        RUNNER,
                        Map.of(),
                        new HeartbeatSchedule(60_000, base.plusMillis(t)),
                        HeartbeatTaskState.created(base),
                        base,
                        base));
            }
            long start = System.nanoTime();
            long measureFrom = start + warmupSeconds * 1_000_000_000L;
            long measureUntil = measureFrom + measureSeconds * 1_000_000_000L;
            Set<String> granted = ConcurrentHashMap.newKeySet();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(servers);
            Server[] running = new Server[servers];
            for (int i = 0; i < servers; i++) {
                running[i] =
                        new Server("server-" + (i + 1), stores.get(i).workspace(ws), ids, i * tasks / servers, granted);
                Server s = running[i];
                Thread thread = new Thread(
                        () -> {
                            try {
                                s.loop(measureFrom, measureUntil);
                            } catch (Throwable e) {
                                failure.compareAndSet(null, e);
                            } finally {
                                done.countDown();
                            }
                        },
                        s.serverId);
                thread.start();
            }
            done.await();
            if (failure.get() != null) {
                throw new IllegalStateException(kind + " with " + servers + " server(s) failed", failure.get());
            }
            Samples claims = new Samples();
            Samples refused = new Samples();
            Samples completes = new Samples();
            long duplicates = 0;
            long stale = 0;
            for (Server s : running) {
                claims.addAll(s.granted);
                refused.addAll(s.refused);
                completes.addAll(s.completes);
                duplicates += s.duplicates;
                stale += s.staleGrants;
            }
            if (duplicates > 0) {
                throw new IllegalStateException(
                        kind + ": " + duplicates + " occurrence(s) were granted to more than one claim");
            }
            Result r = new Result(kind, servers, measureSeconds, claims, refused, completes, stale, load);
            System.out.println(r.line());
            return r;
        } finally {
            stores.forEach(TaskStoreClaimsProbe::close);
        }
    }

    /** One server: its own store instance and server id; the tasks' due times as it last read them. */
    private static final class Server {
        final String serverId;
        final WorkspaceTaskStore store;
        final String[] ids;
        final Instant[] due;
        final Set<String> grantedOnce;
        int next;
        final Samples granted = new Samples();
        final Samples refused = new Samples();
        final Samples completes = new Samples();
        long duplicates;
        /** Granted claims whose requested dueAt was no longer the task's (the occurrence after it ran). */
        long staleGrants;

        Server(String serverId, WorkspaceTaskStore store, String[] ids, int offset, Set<String> grantedOnce) {
            this.serverId = serverId;
            this.store = store;
            this.ids = ids;
            this.due = new Instant[ids.length];
            this.next = offset;
            this.grantedOnce = grantedOnce;
        }

        void loop(long measureFrom, long measureUntil) {
            while (System.nanoTime() < measureUntil) {
                int t = next;
                next = (next + 1) % ids.length;
                String id = ids[t];
                if (due[t] == null) {
                    Optional<HeartbeatTask> read = store.get(id);
                    due[t] = read.map(TaskTransitions::dueAt).orElse(null);
                    if (due[t] == null) {
                        continue; // running on another server
                    }
                }
                Instant dueAt = due[t];
                Instant now = Instant.now();
                String runId = TaskIds.newRunId(now);
                HeartbeatRun[] started = new HeartbeatRun[1];
                long t0 = System.nanoTime();
                Optional<TaskClaim> claim =
                        store.claim(new ClaimRequest(id, dueAt, serverId, runId, LEASE_TTL), fresh -> {
                            if (!TaskTransitions.due(fresh, now)) {
                                return null;
                            }
                            started[0] = TaskTransitions.startedRun(
                                    fresh, runId, store.workspace().id(), serverId, now);
                            return TaskTransitions.started(fresh, runId, now);
                        });
                long t1 = System.nanoTime();
                boolean measured = t0 >= measureFrom && t1 <= measureUntil;
                if (claim.isEmpty()) {
                    if (measured) {
                        refused.add(t1 - t0);
                    }
                    due[t] = null; // read it again, as the scheduler's cache does
                    continue;
                }
                // the occurrence the claim took: the task's due time as the store read it (the file
                // store grants a claim whose dueAt went stale as long as the task is due)
                Instant claimed = started[0].dueAt();
                if (!grantedOnce.add(id + "@" + claimed)) {
                    duplicates++;
                }
                store.started(claim.get().lease(), started[0]);
                Instant finishedAt = Instant.now();
                HeartbeatRun finished = new HeartbeatRun(
                        runId,
                        id,
                        store.workspace().id(),
                        serverId,
                        RUNNER,
                        started[0].trigger(),
                        started[0].dueAt(),
                        now,
                        finishedAt,
                        HeartbeatRunStatus.FINISHED,
                        HeartbeatDecision.CONTINUE,
                        "ok",
                        null,
                        null);
                long c0 = System.nanoTime();
                Completion completion = store.complete(claim.get().lease(), finished, task -> {
                    HeartbeatTask decided = TaskTransitions.decided(
                            task, HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "ok"), finishedAt);
                    // the next occurrence 1 ms after this one: still in the past, so due at once
                    return decided.withSchedule(
                            new HeartbeatSchedule(decided.schedule().intervalMs(), claimed.plusMillis(1)));
                });
                long c1 = System.nanoTime();
                store.retainRuns(id, HISTORY_LIMIT);
                if (measured && !claimed.equals(dueAt)) {
                    staleGrants++;
                }
                if (completion.result() != Completion.Result.APPLIED) {
                    throw new IllegalStateException("the completion of " + id + " was " + completion.result());
                }
                due[t] = TaskTransitions.dueAt(completion.task());
                if (measured) {
                    granted.add(t1 - t0);
                    completes.add(c1 - c0);
                }
            }
        }
    }

    private record Result(
            String store,
            int servers,
            int seconds,
            Samples granted,
            Samples refused,
            Samples completes,
            long staleGrants,
            String load) {

        double claimsPerSecond() {
            return granted.size() / (double) seconds;
        }

        String line() {
            return String.format(
                    Locale.ROOT,
                    "%-10s  %7d  %8.1f  %7.2f ms %5.2f ms %6.2f ms %6.1f ms | %9.1f  %8.2f ms  | %6.2f ms %6.2f ms"
                            + " | %5d | load %s",
                    store,
                    servers,
                    claimsPerSecond(),
                    granted.pct(50),
                    granted.pct(90),
                    granted.pct(99),
                    granted.max(),
                    refused.size() / (double) seconds,
                    refused.pct(99),
                    completes.pct(50),
                    completes.pct(99),
                    staleGrants,
                    load);
        }
    }

    /** Latencies in nanoseconds; percentiles in milliseconds (nearest rank). */
    private static final class Samples {
        private long[] values = new long[1024];
        private int size;
        private boolean sorted;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
            sorted = false;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        int size() {
            return size;
        }

        double pct(double p) {
            if (size == 0) {
                return Double.NaN;
            }
            if (!sorted) {
                Arrays.sort(values, 0, size);
                sorted = true;
            }
            int index = (int) Math.ceil(p / 100.0 * size) - 1;
            return values[Math.max(0, Math.min(size - 1, index))] / 1e6;
        }

        double max() {
            return pct(100);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
