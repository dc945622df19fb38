package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.ContinuationMode;
import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.itest.support.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One workspace on real files, a clock the test moves, and schedulers the test polls: no
 * threads unless a test asks for them.
 */
final class SchedulerFixture {

    static final Instant T0 = Instant.parse("2026-06-02T00:00:00Z");

    record Posted(String topic, Map<String, Object> props) {}

    /** Runs queued work only when the test says so, to hold runs "in progress". */
    static final class HeldExecutor implements Executor {
        final List<Runnable> queued = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void execute(Runnable command) {
            queued.add(command);
        }

        void runAll() {
            List<Runnable> now;
            synchronized (queued) {
                now = new ArrayList<>(queued);
                queued.clear();
            }
            now.forEach(Runnable::run);
        }
    }

    final MutableClock clock = new MutableClock(T0);
    final Path workspaceRoot;
    final Path stateRoot;
    final WorkspaceDescriptor workspace;
    final RunnerDirectory runners = new RunnerDirectory();
    final List<Posted> events = new CopyOnWriteArrayList<>();
    final List<Path[]> setAside = new CopyOnWriteArrayList<>();
    SchedulerSettings settings = new SchedulerSettings(
            Duration.ofSeconds(1),
            4,
            50,
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofMinutes(10),
            Duration.ofSeconds(60),
            Duration.ofSeconds(1),
            Duration.ofSeconds(60));
    final HeartbeatTaskService tasks;
    /** The default store, on this fixture's files. */
    final FileHeartbeatTaskStore fileStore;

    SchedulerFixture(Path dir) throws IOException {
        workspaceRoot = java.nio.file.Files.createDirectories(dir.resolve("ws"));
        stateRoot = workspaceRoot.resolve(".heddle");
        workspace = new WorkspaceDescriptor(
                "ws-test",
                "ws",
                workspaceRoot.toString(),
                List.of(workspaceRoot.toString()),
                stateRoot.toString(),
                T0,
                T0);
        fileStore = new FileHeartbeatTaskStore(this::store, clock);
        tasks = new HeartbeatTaskService(clock, () -> settings, runners, () -> fileStore, p -> {});
    }

    FileTaskStore store(Path stateRoot) {
        return new FileTaskStore(stateRoot, clock, new FileTaskStore.CorruptFileListener() {
            @Override
            public void setAside(Path file, Path movedTo) {
                SchedulerFixture.this.setAside.add(new Path[] {file, movedTo});
            }

            @Override
            public void cannotSetAside(Path file, IOException cause) {
                throw new AssertionError("could not set aside " + file, cause);
            }
        });
    }

    FileTaskStore store() {
        return store(stateRoot);
    }

    /** The workspace as the task store sees it. */
    io.heddle.api.heartbeat.store.TaskWorkspace taskWorkspace() {
        return TaskWorkspaces.of(workspace);
    }

    /** The server-wide parts of a scheduler, with events into {@link #events}. */
    SchedulerContext context(String serverId, Executor workers) {
        return new SchedulerContext(
                serverId,
                clock,
                () -> settings,
                runners,
                (topic, props) -> events.add(new Posted(topic, Map.copyOf(props))),
                new RunSlots(() -> settings.maxConcurrent()),
                workers,
                () -> {});
    }

    WorkspaceScheduler scheduler(String serverId, Executor workers) {
        return new WorkspaceScheduler(context(serverId, workers), fileStore.workspace(taskWorkspace()));
    }

    WorkspaceScheduler scheduler(String serverId) {
        return scheduler(serverId, Runnable::run);
    }

    HeartbeatTask create(String runner, Duration interval) {
        return tasks.create(
                workspace,
                new HeartbeatTaskSpec(
                        "t", "do the thing", true, ContinuationMode.OPERATOR, interval.toMillis(), runner, Map.of()));
    }

    HeartbeatTask task(String id) {
        return tasks.get(workspace, id).orElseThrow();
    }

    /** A runner that answers what the function says and counts its runs. */
    static final class ScriptedRunner implements HeartbeatTaskRunner {
        final List<String> runIds = new CopyOnWriteArrayList<>();
        volatile Function<io.heddle.api.heartbeat.HeartbeatRunContext, HeartbeatRunResult> answer =
                c -> HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "ok");
        volatile Exception failWith;

        @Override
        public HeartbeatRunResult run(io.heddle.api.heartbeat.HeartbeatRunContext context)
                throws io.heddle.api.heartbeat.HeartbeatRunException, InterruptedException {
            runIds.add(context.runId());
            Exception f = failWith;
            if (f instanceof io.heddle.api.heartbeat.HeartbeatRunException) {
                throw (io.heddle.api.heartbeat.HeartbeatRunException) f;
            }
            if (f instanceof InterruptedException) {
                throw (InterruptedException) f;
            }
            if (f != null) {
                throw (RuntimeException) f;
            }
            return answer.apply(context);
        }

        int runs() {
            return runIds.size();
        }
    }

    ScriptedRunner install(String kind) {
        ScriptedRunner r = new ScriptedRunner();
        runners.add(kind, r, 0, runners.kinds().size() + 1);
        return r;
    }

    List<String> topics() {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.topic()));
        return out;
    }

    /**
     * A store of the fixture's files that keeps every workspace's tasks under {@code folder} (a
     * folder per workspace key) instead of its state root: a second, shared store for tests.
     */
    HeartbeatTaskStore elsewhere(Path folder) {
        return new HeartbeatTaskStore() {
            @Override
            public TaskStoreDescription describe() {
                return new TaskStoreDescription("elsewhere", "files under " + folder, null);
            }

            @Override
            public WorkspaceTaskStore workspace(TaskWorkspace w) {
                return fileStore.workspace(
                        new TaskWorkspace(w.id(), w.key(), w.workspaceRoot(), folder.resolve(w.key())));
            }
        };
    }
}
