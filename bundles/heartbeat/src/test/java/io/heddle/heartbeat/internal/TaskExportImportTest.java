package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.storage.internal.JsonTree;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving a workspace's tasks between its files and another store: export, import, and back,
 * exact; an id that exists is refused with nothing stored, unless renamed. The other store is the
 * real file store on another folder, standing for a shared one.
 */
class TaskExportImportTest {

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private HeartbeatTaskStore shared;
    private final AtomicReference<HeartbeatTaskStore> inUse = new AtomicReference<>();
    private HeartbeatTaskService service;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        f.install("script");
        Path folder = Files.createDirectories(dir.resolve("shared"));
        shared = f.elsewhere(folder);
        inUse.set(f.fileStore);
        service = new HeartbeatTaskService(f.clock, () -> f.settings, f.runners, inUse::get, p -> {});
    }

    /** The document as the CLI writes it to a file and reads it back. */
    private static Map<String, Object> throughAFile(Map<String, Object> doc) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) JsonTree.parse(JsonTree.write(doc));
        return read;
    }

    @Test
    void fileTasksMovedIntoAnotherStoreAndBackAreExactAndTheFilesAreKept() throws Exception {
        HeartbeatTask a = f.create("script", Duration.ofMinutes(1));
        f.create("script", Duration.ofMinutes(5));
        service.update(
                f.workspace,
                a.id(),
                new io.heddle.api.heartbeat.HeartbeatTaskPatch(
                        "renamed", null, false, null, null, null, null)); // not only fresh tasks: a changed one
        inUse.set(shared); // the shared store takes over; the files wait
        Map<String, Object> fromFiles = service.exportTasks(f.workspace, true);
        assertThat(fromFiles).containsEntry("format", "heddle-tasks").containsEntry("version", 1);
        assertThat((List<?>) fromFiles.get("tasks")).hasSize(2);

        Map<String, String> stored = service.importTasks(f.workspace, throughAFile(fromFiles), false, false);

        assertThat(stored).hasSize(2).allSatisfy((from, id) -> assertThat(id).isEqualTo(from));
        assertThat(service.exportTasks(f.workspace, false)).isEqualTo(fromFiles); // in the store, exactly
        assertThat(service.exportTasks(f.workspace, true)).isEqualTo(fromFiles); // the files are kept
        assertThat(f.store().readTasks()).hasSize(2);

        // and back: into files of a fresh workspace folder, exactly
        for (HeartbeatTask t : f.store().readTasks()) {
            f.store().deleteTask(t.id());
        }
        service.importTasks(f.workspace, throughAFile(service.exportTasks(f.workspace, false)), true, false);
        assertThat(service.exportTasks(f.workspace, true)).isEqualTo(fromFiles);
    }

    @Test
    void anIdThatExistsIsRefusedWithNothingStoredUnlessRenamed() throws Exception {
        HeartbeatTask a = f.create("script", Duration.ofMinutes(1));
        Map<String, Object> doc = throughAFile(service.exportTasks(f.workspace, false));
        HeartbeatTask b = f.create("script", Duration.ofMinutes(3));
        @SuppressWarnings("unchecked")
        List<Object> tasks = (List<Object>) doc.get("tasks");
        @SuppressWarnings("unchecked")
        Map<String, Object> other = new java.util.LinkedHashMap<>((Map<String, Object>) tasks.get(0));
        other.put("id", "task-new-one");
        tasks.add(other);

        assertThatThrownBy(() -> service.importTasks(f.workspace, doc, false, false))
                .isInstanceOf(HeartbeatTaskConflictException.class)
                .hasMessageContaining(a.id())
                .hasMessageContaining("nothing was imported")
                .hasMessageContaining("--rename");
        assertThat(service.list(f.workspace)).extracting(HeartbeatTask::id).containsExactlyInAnyOrder(a.id(), b.id());

        Map<String, String> stored = service.importTasks(f.workspace, doc, false, true);

        assertThat(stored.get(a.id())).isNotEqualTo(a.id()).startsWith("task-");
        assertThat(stored.get("task-new-one")).isEqualTo("task-new-one");
        HeartbeatTask copy = service.get(f.workspace, stored.get(a.id())).orElseThrow();
        assertThat(copy.task()).isEqualTo(a.task());
        assertThat(service.list(f.workspace)).hasSize(4);
    }

    @Test
    void createAllOnTheFilesLeavesNoneStoredWhenOneIdExists() {
        WorkspaceTaskStore files = f.fileStore.workspace(f.taskWorkspace());
        HeartbeatTask taken = f.create("script", Duration.ofMinutes(1));
        HeartbeatTask fresh = HeartbeatTaskService.withId(taken, "task-fresh");
        assertThatThrownBy(() -> files.createAll(List.of(fresh, taken)))
                .isInstanceOf(HeartbeatTaskConflictException.class);
        assertThat(files.list()).extracting(HeartbeatTask::id).containsExactly(taken.id());
    }

    @Test
    void aDocumentThatIsNotAnExportIsRefusedNamingTheField() {
        assertThatThrownBy(() -> service.importTasks(f.workspace, Map.of("tasks", List.of()), false, false))
                .isInstanceOf(HeartbeatTaskValidationException.class)
                .hasMessageContaining("heddle task export");
        assertThatThrownBy(() -> service.importTasks(
                        f.workspace,
                        Map.of("format", "heddle-tasks", "version", 1, "tasks", List.of(Map.of("id", "../x"))),
                        false,
                        false))
                .isInstanceOf(HeartbeatTaskValidationException.class)
                .satisfies(e -> assertThat(((HeartbeatTaskValidationException) e).field())
                        .isEqualTo("tasks[0].id"));
        assertThat(service.list(f.workspace)).isEmpty();
    }
}
