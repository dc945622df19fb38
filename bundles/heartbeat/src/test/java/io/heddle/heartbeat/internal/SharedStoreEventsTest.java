package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatTask;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server sharing a store with others announces what they change to its own event clients, at
 * its next poll: tasks created, changed (a run of another server included) and deleted. The
 * shared store is the real file store behind a wrapper that is not file-backed for the scheduler.
 */
class SharedStoreEventsTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private final List<SchedulerFixture.Posted> eventsOfB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
    }

    private List<SchedulerFixture.Posted> stored(String topic) {
        return eventsOfB.stream()
                .filter(e ->
                        e.topic().equals(topic) && "stored".equals(e.props().get("change")))
                .toList();
    }

    @Test
    void whatAnotherServerChangesInTheSharedStoreIsAnnouncedAtTheNextPoll() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        WorkspaceScheduler a = new WorkspaceScheduler(
                f.context("server-a", Runnable::run), new OutageTaskStore(f.fileStore.workspace(f.taskWorkspace())));
        WorkspaceScheduler b = watcher(); // server b has no runner of the kind: it only watches
        b.poll(); // its first read announces nothing

        HeartbeatTask t = f.create("script", MINUTE);
        f.clock.advance(Duration.ofSeconds(1));
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_CREATED))
                .singleElement()
                .satisfies(e -> assertThat(e.props())
                        .containsEntry(HeartbeatEvents.TASK_ID, t.id())
                        .containsEntry(HeartbeatEvents.SERVER_ID, "server-b")
                        .containsEntry(HeartbeatEvents.WORKSPACE_ID, "ws-test"));

        f.clock.advance(MINUTE);
        a.poll(); // server a runs it
        String runOfA = f.task(t.id()).state().lastRunId();
        assertThat(runner.runs()).isEqualTo(1);
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_UPDATED))
                .last()
                .satisfies(e -> assertThat(e.props())
                        .containsEntry(HeartbeatEvents.TASK_ID, t.id())
                        .containsEntry(HeartbeatEvents.RUN_ID, runOfA)
                        .containsEntry("status", "idle"));

        int updates = stored(HeartbeatEvents.TASK_UPDATED).size();
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_UPDATED))
                .as("nothing changed: nothing announced")
                .hasSize(updates);

        f.tasks.delete(f.workspace, t.id());
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_DELETED))
                .singleElement()
                .satisfies(e -> assertThat(e.props()).containsEntry(HeartbeatEvents.TASK_ID, t.id()));
    }

    /** Server b: no runner of any kind, so it only watches the shared store; its events go to {@link #eventsOfB}. */
    private WorkspaceScheduler watcher() {
        return new WorkspaceScheduler(
                new SchedulerContext(
                        "server-b",
                        f.clock,
                        () -> f.settings,
                        new RunnerDirectory(),
                        (topic, props) -> eventsOfB.add(new SchedulerFixture.Posted(topic, Map.copyOf(props))),
                        new RunSlots(() -> 4),
                        Runnable::run,
                        () -> {}),
                new OutageTaskStore(f.fileStore.workspace(f.taskWorkspace())));
    }

    @Test
    void aRunOfAnotherServerIsAnnouncedAsStartedThenFinishedOrFailed() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        SchedulerFixture.HeldExecutor held = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = new WorkspaceScheduler(
                f.context("server-a", held), new OutageTaskStore(f.fileStore.workspace(f.taskWorkspace())));
        WorkspaceScheduler b = watcher();
        HeartbeatTask t = f.create("script", MINUTE);
        b.poll();

        f.clock.advance(MINUTE);
        a.poll(); // claimed by server a, still running
        String first = f.task(t.id()).state().lastRunId();
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_STARTED))
                .singleElement()
                .satisfies(e -> assertThat(e.props())
                        .containsEntry(HeartbeatEvents.RUN_ID, first)
                        .containsEntry("runner", "script")
                        .containsEntry(HeartbeatEvents.SERVER_ID, "server-b"));
        assertThat(stored(HeartbeatEvents.TASK_FINISHED)).isEmpty();

        held.runAll();
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_FINISHED))
                .singleElement()
                .satisfies(e -> assertThat(e.props())
                        .containsEntry(HeartbeatEvents.RUN_ID, first)
                        .containsEntry("status", "idle"));
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_STARTED)).as("announced once").hasSize(1);

        // a run that fails between two reads of b: announced as failed only
        runner.failWith = new IllegalStateException("boom");
        f.clock.advance(MINUTE);
        a.poll();
        held.runAll();
        String second = f.task(t.id()).state().lastRunId();
        assertThat(second).isNotEqualTo(first);
        b.poll();
        assertThat(stored(HeartbeatEvents.TASK_STARTED)).hasSize(1);
        assertThat(stored(HeartbeatEvents.TASK_FAILED))
                .singleElement()
                .satisfies(e -> assertThat(e.props())
                        .containsEntry(HeartbeatEvents.RUN_ID, second)
                        .containsEntry("status", "failed")
                        .containsKey("error"));

        // server a announced its own runs itself, never again as stored changes
        a.poll();
        assertThat(f.events)
                .filteredOn(e -> "stored".equals(e.props().get("change")))
                .noneMatch(e -> e.topic().equals(HeartbeatEvents.TASK_STARTED)
                        || e.topic().equals(HeartbeatEvents.TASK_FINISHED)
                        || e.topic().equals(HeartbeatEvents.TASK_FAILED));
        assertThat(f.events)
                .filteredOn(e -> e.topic().equals(HeartbeatEvents.TASK_STARTED))
                .hasSize(2);
    }

    @Test
    void aSchedulerOnTheFilesAnnouncesNoStoredChanges() {
        WorkspaceScheduler files = f.scheduler("server-c");
        files.poll();
        f.create("script", MINUTE);
        f.clock.advance(Duration.ofSeconds(1));
        files.poll();
        assertThat(f.events).noneMatch(e -> "stored".equals(e.props().get("change")));
    }
}
