package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.storage.internal.StoreHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot be written, without mounting anything: a regular file where the store
 * needs a folder makes every write below it fail with the OS's "File exists", as a full
 * disk or a read-only folder would (root ignores permissions, so chmod cannot do it here).
 */
class StoreFailureTest {

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private final List<String> health = new CopyOnWriteArrayList<>();
    private StoreHealth storeHealth;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        storeHealth = new StoreHealth("heartbeat-store", f.clock, Duration.ofHours(1), new StoreHealth.Listener() {
            @Override
            public void unwritable(StoreHealth.Problem problem) {
                health.add("unwritable: " + problem.message());
            }

            @Override
            public void writableAgain(StoreHealth.Problem resolved) {
                health.add("writable");
            }
        });
    }

    private FileTaskStore failingAwareStore() {
        return new FileTaskStore(
                f.stateRoot,
                f.clock,
                new FileTaskStore.CorruptFileListener() {
                    @Override
                    public void setAside(Path file, Path movedTo) {}

                    @Override
                    public void cannotSetAside(Path file, IOException cause) {}
                },
                storeHealth);
    }

    private WorkspaceScheduler scheduler(FileTaskStore store) {
        return new WorkspaceScheduler(
                f.context("server-a", Runnable::run), new FileWorkspaceTaskStore(f.taskWorkspace(), store, f.clock));
    }

    @Test
    void aRunThatCannotBeRecordedShowsAsLastErrorWithAnEventOnceTheStoreCanBeWritten() throws Exception {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", Duration.ofMinutes(1));
        Path runs = f.store().runFile(t.id(), "x").getParent();
        Files.createDirectories(runs.getParent());
        Files.writeString(runs, "in the way"); // runs/<taskId> is a file: run records cannot be written
        f.clock.advance(Duration.ofMinutes(1));
        WorkspaceScheduler scheduler = scheduler(failingAwareStore());

        scheduler.poll(); // the run happens; neither its start nor its end can be recorded
        assertThat(runner.runs()).isEqualTo(1);
        assertThat(health)
                .first()
                .asString()
                .startsWith("unwritable: Cannot write the run " + runs)
                .endsWith(": File exists");
        List<SchedulerFixture.Posted> failed = f.events.stream()
                .filter(e -> e.topic().equals(HeartbeatEvents.TASK_STORE_FAILED))
                .toList();
        assertThat(failed).hasSize(1);
        assertThat((String) failed.get(0).props().get("error")).contains("File exists");

        f.clock.advance(Duration.ofSeconds(1));
        scheduler.poll(); // the task file can be written: the failure lands in its state

        HeartbeatTask after = f.store().readTask(t.id()).orElseThrow();
        assertThat(after.state().lastError()).isNotNull();
        assertThat(after.state().lastError().message()).contains("Could not record", runs.toString(), "File exists");
        assertThat(after.state().lastError().at()).isEqualTo(SchedulerFixture.T0.plus(Duration.ofMinutes(1)));
        assertThat(health).last().isEqualTo("writable"); // a task write succeeded since
        assertThat(f.events.stream().filter(e -> e.topic().equals(HeartbeatEvents.TASK_STORE_FAILED)))
                .hasSize(1);

        Files.delete(runs); // the runs can be recorded again: the next run is, and the last error stays with its time
        f.clock.advance(Duration.ofMinutes(1));
        scheduler.poll();

        assertThat(runner.runs()).isEqualTo(2);
        assertThat(f.store().readRuns(t.id())).hasSize(1);
        assertThat(f.store().readTask(t.id()).orElseThrow().state().lastError())
                .isEqualTo(after.state().lastError());
    }

    @Test
    void anUnwritableFolderStaysUnhealthyUntilTheProbeCanWriteIt() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a folder should be");
        Path folder = blocker.resolve("heartbeat");

        assertThat(storeHealth.failed(folder, "Cannot write x: Not a directory"))
                .isTrue();
        assertThat(storeHealth.failed(folder, "Cannot write y: Not a directory"))
                .isFalse();
        assertThat(storeHealth.probeNow()).isZero();
        assertThat(storeHealth.problems())
                .singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("Cannot write y: Not a directory"));

        Files.delete(blocker);

        assertThat(storeHealth.probeNow()).isEqualTo(1);
        assertThat(storeHealth.healthy()).isTrue();
        assertThat(health).containsExactly("unwritable: Cannot write x: Not a directory", "writable");
        try (var left = Files.list(folder)) {
            assertThat(left).isEmpty(); // the probe's file is gone
        }
        storeHealth.close();
    }
}
