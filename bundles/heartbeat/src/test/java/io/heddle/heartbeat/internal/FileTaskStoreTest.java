package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FileTaskStoreTest extends SchedulerFixtureTestBase {

    private static boolean hasCorruptSibling(Path file) throws Exception {
        try (Stream<Path> files = Files.list(file.getParent())) {
            return files.anyMatch(p -> p.getFileName().toString().startsWith(file.getFileName() + ".corrupt-"));
        }
    }

    @Test
    void aMinimalHandWrittenTaskIsReadWithDefaults() throws Exception {
        Path file = f.store().taskFile("by-hand");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"task\": \"check\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": 5000}}");

        HeartbeatTask t = f.store().readTask("by-hand").orElseThrow();

        assertThat(t.id()).isEqualTo("by-hand");
        assertThat(t.enabled()).isTrue();
        assertThat(t.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(t.schedule().nextRunAt()).isNull();
    }

    @Test
    void aFileThatIsNotATaskObjectIsSetAside() throws Exception {
        Path file = f.store().taskFile("not-an-object");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"task\": \"check\"}]");

        assertThat(f.store().readTasks()).isEmpty();
        assertThat(file).doesNotExist();
        assertThat(hasCorruptSibling(file)).isTrue();
    }

    @Test
    void corruptRunAndLeaseFilesAreSetAsideAndSkipped() throws Exception {
        f.install("script");
        HeartbeatTask t = f.create("script", Duration.ofMinutes(1));
        f.clock.advance(Duration.ofMinutes(1));
        f.scheduler("server-a").poll();
        Path runFile = f.store().runFile(t.id(), "run-20000101T000000000Z-000000");
        Files.writeString(runFile, "not json");
        Path lease = f.store().leaseFile(t.id());
        Files.createDirectories(lease.getParent());
        Files.writeString(lease, "[]");

        assertThat(f.store().readRuns(t.id())).hasSize(1);
        assertThat(f.store().readLease(t.id())).isEmpty();
        assertThat(hasCorruptSibling(runFile)).isTrue();
        assertThat(hasCorruptSibling(lease)).isTrue();
        assertThat(f.setAside).hasSize(2);
    }

    @Test
    void idsThatCouldEscapeTheFolderAreNeverRead() {
        assertThat(f.store().readTask("../../etc/passwd")).isEmpty();
        assertThat(f.store().readRun("ok", "../x")).isEmpty();
        assertThat(f.store().deleteTask("..")).isFalse();
    }

    @Test
    void theRevisionChangesWithEveryTaskWrite() {
        f.install("script");
        String before = f.store().revision();
        HeartbeatTask t = f.create("script", Duration.ofMinutes(1));
        String afterCreate = f.store().revision();
        f.tasks.runNow(f.workspace, t.id());

        assertThat(afterCreate).isNotEqualTo(before);
        assertThat(f.store().revision()).isNotEqualTo(afterCreate);
    }
}
