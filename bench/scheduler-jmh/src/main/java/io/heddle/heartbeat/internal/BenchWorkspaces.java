package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.workspaces.internal.FileWorkspaceCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The benchmark's world: one server state root whose catalog lists {@code workspaces}
 * workspaces, each with {@code tasksPerWorkspace} tasks on real files, and scheduler sessions
 * built exactly as {@link HeartbeatSchedulerComponent#start} builds them.
 */
final class BenchWorkspaces implements AutoCloseable {

    static final String KIND = "bench";

    final Path root;
    final Path serverWorkspace;
    final Path serverState;
    final WorkspaceCatalog catalog = new FileWorkspaceCatalog(Clock.systemUTC(), m -> {});
    final RunnerDirectory runners = new RunnerDirectory();
    final Clock clock = Clock.systemUTC();
    volatile SchedulerSettings settings = SchedulerSettings.defaults();
    /** The default task store on this world's files, as the scheduler component uses it without another store. */
    final FileHeartbeatTaskStore fileStore = new FileHeartbeatTaskStore(this::store, clock);

    BenchWorkspaces(int workspaces, int tasksPerWorkspace, TaskShape shape) throws IOException {
        String base = System.getProperty("heddle.bench.dir");
        root = base == null
                ? Files.createTempDirectory("heddle-scheduler-bench")
                : Files.createTempDirectory(Files.createDirectories(Path.of(base)), "heddle-scheduler-bench");
        serverWorkspace = Files.createDirectories(root.resolve("ws-0"));
        serverState = serverWorkspace.resolve(".heddle");
        catalog.ensure(serverWorkspace, serverState);
        for (int w = 1; w < workspaces; w++) {
            catalog.create(serverState, Files.createDirectories(root.resolve("ws-" + w)), "ws-" + w, ".heddle");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int n = 0;
        for (io.heddle.api.workspace.WorkspaceDescriptor w :
                catalog.read(serverState).workspaces()) {
            FileTaskStore store = store(Path.of(w.stateRoot()));
            for (int t = 0; t < tasksPerWorkspace; t++) {
                HeartbeatSchedule schedule = shape.schedule(n++, now);
                store.writeTask(new HeartbeatTask(
                        String.format("task-%04d", t),
                        "bench " + t,
                        "benchmark task",
                        true,
                        null,
                        KIND,
                        Map.of(),
                        schedule,
                        HeartbeatTaskState.created(now),
                        now,
                        now));
            }
        }
    }

    /** When each task is first due. */
    interface TaskShape {
        HeartbeatSchedule schedule(int index, Instant now);

        /** Nothing due for a day. */
        TaskShape IDLE = (i, now) -> new HeartbeatSchedule(Duration.ofDays(1).toMillis(), now.plus(Duration.ofDays(1)));
    }

    FileTaskStore store(Path stateRoot) {
        return new FileTaskStore(stateRoot, clock, new FileTaskStore.CorruptFileListener() {
            @Override
            public void setAside(Path file, Path movedTo) {
                throw new IllegalStateException("corrupt file in the benchmark: " + file);
            }

            @Override
            public void cannotSetAside(Path file, IOException cause) {
                throw new IllegalStateException("corrupt file in the benchmark: " + file, cause);
            }
        });
    }

    void install(Consumer<io.heddle.api.heartbeat.HeartbeatRunContext> onRun) {
        runners.add(
                KIND,
                new HeartbeatTaskRunner() {
                    @Override
                    public HeartbeatRunResult run(io.heddle.api.heartbeat.HeartbeatRunContext context) {
                        onRun.accept(context);
                        return HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "ok");
                    }
                },
                0,
                1);
    }

    /** A session driven by the test (no timer): call {@link SchedulerSession#tick()}. */
    SchedulerSession manualSession(String serverId) {
        SchedulerSession session = new SchedulerSession(
                serverId,
                serverState,
                catalog,
                clock,
                () -> settings,
                runners,
                SchedulerEvents.NONE,
                () -> fileStore,
                workers(serverId));
        session.sync();
        return session;
    }

    /** A session driven by its own timer thread, as in the framework. */
    SchedulerSession timedSession(String serverId) {
        SchedulerSession session = manualSession(serverId);
        session.driveWith(new TickTimer("heddle-heartbeat-scheduler-" + serverId, clock, session::tick));
        return session;
    }

    private ThreadPoolExecutor workers(String serverId) {
        int max = settings.maxConcurrent();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "heddle-heartbeat-run-" + serverId);
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
