package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempFilesTest {

    @TempDir
    Path dir;

    /** A pid no process has: above the largest pid Linux hands out (2^22). */
    private static final long DEAD_PID = 4_194_304L + 12_345L;

    @Test
    void aTempFileOfADeadWriterIsRemovedAndOthersAreKept() throws Exception {
        Path dead = Files.writeString(dir.resolve(".task-a.json.tmp-" + DEAD_PID + "-1f2e"), "{");
        Path live = Files.writeString(
                dir.resolve(TempFiles.tempFor(dir.resolve("task-b.json")).getFileName()), "{");
        Path notOurs = Files.writeString(dir.resolve(".task-c.json.tmp-" + DEAD_PID + "-zz"), "{");
        Path target = Files.writeString(dir.resolve("task-a.json"), "{}");

        assertThat(TempFiles.removeStale(dir)).containsExactly(dead);

        assertThat(dead).doesNotExist();
        assertThat(live).exists(); // this process is alive and started before the file was written
        assertThat(notOurs).exists(); // not this project's pattern
        assertThat(target).exists();
    }

    @Test
    void aTempFileOlderThanItsPidsProcessIsStaleThePidWasReused() throws Exception {
        Path mine = Files.writeString(
                dir.resolve(TempFiles.tempFor(dir.resolve("catalog.json")).getFileName()), "{");
        Files.setLastModifiedTime(mine, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));

        assertThat(TempFiles.removeStale(dir)).containsExactly(mine);
    }

    @Test
    void theWriterPidIsReadFromTheNameOnlyForThisProjectsPattern() {
        assertThat(TempFiles.writerPid(".x.json.tmp-4242-a1b2")).contains(4242L);
        assertThat(TempFiles.writerPid("x.json.tmp-4242-a1b2")).isEmpty();
        assertThat(TempFiles.writerPid(".x.json.tmp-abc-a1b2")).isEmpty();
        assertThat(TempFiles.writerPid(".x.json.corrupt-20260602T000000.000Z")).isEmpty();
    }

    @Test
    void theFirstAtomicWriteIntoAFolderSweepsIt() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("first-write"));
        Path dead = Files.writeString(sub.resolve(".f.json.tmp-" + DEAD_PID + "-9"), "{");

        AtomicFileWriter.write(sub.resolve("f.json"), "{}".getBytes());

        assertThat(dead).doesNotExist();
        try (var files = Files.list(sub)) {
            assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("f.json");
        }
    }
}
