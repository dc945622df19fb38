package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.itest.support.Poll;
import io.heddle.workspaces.internal.FileWorkspaceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler works on whichever task store is in use: when another store takes over, the
 * schedulers move to it at the next sync, and the tasks left in the files are neither run nor
 * touched. The other store here is the real file store on another folder, standing for a
 * store another bundle registers.
 */
class TaskStoreSelectionTest {

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private WorkspaceCatalog catalog;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        catalog = new FileWorkspaceCatalog(f.clock, message -> {});
        catalog.ensure(f.workspaceRoot, f.stateRoot);
    }

    /** Server a's session on the fixture's catalog, with the store {@code inUse} holds. */
    private SchedulerSession session(AtomicReference<HeartbeatTaskStore> inUse) {
        return new SchedulerSession(
                "server-a",
                f.stateRoot,
                catalog,
                f.clock,
                () -> f.settings,
                f.runners,
                (topic, props) -> f.events.add(new SchedulerFixture.Posted(topic, Map.copyOf(props))),
                inUse::get,
                java.util.concurrent.Executors.newSingleThreadExecutor());
    }

    @Test
    void schedulersMoveToTheStoreInUseAndLeaveTheFileTasksAlone() throws Exception {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask inFiles = f.create("script", Duration.ofMinutes(1));
        HeartbeatTaskStore shared = f.elsewhere(Files.createDirectories(dir.resolve("shared")));
        AtomicReference<HeartbeatTaskStore> inUse = new AtomicReference<>(f.fileStore);
        HeartbeatTaskService service =
                new HeartbeatTaskService(f.clock, () -> f.settings, f.runners, inUse::get, p -> {});
        SchedulerSession session = session(inUse);
        try {
            session.sync();
            inUse.set(shared);
            session.sync();
            var workspace = catalog.read(f.stateRoot).workspaces().get(0);
            HeartbeatTask inShared = service.create(
                    workspace,
                    new io.heddle.api.heartbeat.HeartbeatTaskSpec(
                            "s",
                            "shared work",
                            true,
                            null,
                            Duration.ofMinutes(1).toMillis(),
                            "script",
                            Map.of()));

            f.clock.advance(Duration.ofMinutes(1));
            session.tick();
            Poll.until(
                    "the shared task's run is recorded",
                    () -> !service.runs(workspace, inShared.id()).isEmpty()
                            && service.get(workspace, inShared.id())
                                            .orElseThrow()
                                            .state()
                                            .status()
                                    == HeartbeatTaskStatus.IDLE);

            assertThat(runner.runs()).isEqualTo(1);
            assertThat(service.list(workspace)).extracting(HeartbeatTask::id).containsExactly(inShared.id());
            assertThat(f.store().readTask(inFiles.id())).contains(inFiles); // due too, but not run and not touched
            assertThat(f.store().readRuns(inFiles.id())).isEmpty();
            assertThat(Files.exists(dir.resolve("shared")
                            .resolve("ws")
                            .resolve("heartbeat")
                            .resolve("tasks")
                            .resolve(inShared.id() + ".json")))
                    .isTrue();
        } finally {
            session.stop();
        }
    }

    @Test
    void theTaskServiceNamesTheStoreInUseAndCountsTheTaskFilesLeftWaiting() throws Exception {
        f.create("script", Duration.ofMinutes(1));
        f.create("script", Duration.ofMinutes(2));
        HeartbeatTaskStore shared = f.elsewhere(Files.createDirectories(dir.resolve("shared")));
        AtomicReference<HeartbeatTaskStore> inUse = new AtomicReference<>(f.fileStore);
        HeartbeatTaskService service =
                new HeartbeatTaskService(f.clock, () -> f.settings, f.runners, inUse::get, p -> {});

        assertThat(service.store().kind()).isEqualTo("file");
        assertThat(service.fileTasksWaiting(f.workspace)).isZero(); // the files are the store: they run

        inUse.set(shared);
        assertThat(service.store().kind()).isEqualTo("elsewhere");
        assertThat(service.fileTasksWaiting(f.workspace)).isEqualTo(2);
        assertThat(service.list(f.workspace)).isEmpty(); // counted, not listed, not moved
        assertThat(f.store().readTasks()).hasSize(2);
    }

    @Test
    void aWorkspaceKeySetInTheCatalogMovesItsSchedulerToTheTasksFiledUnderThatKey() throws Exception {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTaskStore files = f.elsewhere(Files.createDirectories(dir.resolve("shared"))); // a folder per key
        HeartbeatTaskStore shared = new HeartbeatTaskStore() { // not file-backed as the scheduler sees it
                    @Override
                    public TaskStoreDescription describe() {
                        return files.describe();
                    }

                    @Override
                    public WorkspaceTaskStore workspace(TaskWorkspace w) {
                        return new OutageTaskStore(files.workspace(w));
                    }
                };
        AtomicReference<HeartbeatTaskStore> inUse = new AtomicReference<>(shared);
        HeartbeatTaskService service =
                new HeartbeatTaskService(f.clock, () -> f.settings, f.runners, inUse::get, p -> {});
        SchedulerSession session = session(inUse);
        var spec = new io.heddle.api.heartbeat.HeartbeatTaskSpec(
                "s", "keyed work", true, null, Duration.ofMinutes(1).toMillis(), "script", Map.of());
        try {
            session.sync();
            var derived = catalog.read(f.stateRoot).workspaces().get(0);
            HeartbeatTask underDerived = service.create(derived, spec);

            catalog.setWorkspaceKey(f.stateRoot, derived.id(), "github.com/me/app");
            session.sync();
            var keyed = catalog.read(f.stateRoot).workspaces().get(0);
            HeartbeatTask underSet = service.create(keyed, spec);
            assertThat(service.list(keyed)).extracting(HeartbeatTask::id).containsExactly(underSet.id());

            f.clock.advance(Duration.ofMinutes(1));
            session.tick();
            Poll.until(
                    "the task under the set key ran",
                    () -> !service.runs(keyed, underSet.id()).isEmpty()
                            && service.get(keyed, underSet.id())
                                            .orElseThrow()
                                            .state()
                                            .status()
                                    == HeartbeatTaskStatus.IDLE);
        } finally {
            session.stop();
        }
        assertThat(runner.runs()).isEqualTo(1); // the task under the old key is not this workspace's any more
        var derivedAgain = new io.heddle.api.workspace.WorkspaceDescriptor(
                catalog.read(f.stateRoot).workspaces().get(0).id(),
                "ws",
                f.workspaceRoot.toString(),
                java.util.List.of(),
                f.stateRoot.toString(),
                SchedulerFixture.T0,
                SchedulerFixture.T0);
        assertThat(service.list(derivedAgain))
                .singleElement()
                .extracting(t -> t.state().lastRunId())
                .isNull();
    }
}
