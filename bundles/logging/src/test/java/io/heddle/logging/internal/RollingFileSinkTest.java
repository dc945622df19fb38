package io.heddle.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingFileSinkTest {

    @TempDir
    Path dir;

    /** 10 bytes per line. */
    private static String line(int n) {
        return String.format("line %04d%n", n);
    }

    @Test
    void theFileIsCreatedWithItsFolderOnTheFirstLineOnly() throws IOException {
        Path file = dir.resolve("logs/server.log");
        RollingFileSink sink = new RollingFileSink(file);

        assertThat(file.getParent()).doesNotExist();
        sink.write(line(1));
        sink.write(line(2));

        assertThat(Files.readString(file)).isEqualTo(line(1) + line(2));
        sink.close();
    }

    @Test
    void rollsOverBySizeKeepingFiveOldFilesNewestFirst() throws IOException {
        Path file = dir.resolve("server.log");
        RollingFileSink sink = new RollingFileSink(file, 30, 5); // three lines a file

        for (int n = 1; n <= 22; n++) {
            sink.write(line(n));
        }
        sink.close();

        assertThat(Files.readString(file)).isEqualTo(line(22));
        assertThat(Files.readString(dir.resolve("server.log.1"))).isEqualTo(line(19) + line(20) + line(21));
        assertThat(Files.readString(dir.resolve("server.log.2"))).isEqualTo(line(16) + line(17) + line(18));
        assertThat(Files.readString(dir.resolve("server.log.5"))).isEqualTo(line(7) + line(8) + line(9));
        assertThat(dir.resolve("server.log.6")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(6);
        }
    }

    @Test
    void anExistingFileCountsTowardsTheSizeAfterARestart() throws IOException {
        Path file = dir.resolve("server.log");
        Files.writeString(file, line(1) + line(2) + line(3), StandardCharsets.UTF_8);

        RollingFileSink sink = new RollingFileSink(file, 30, 5);
        sink.write(line(4));
        sink.close();

        assertThat(Files.readString(dir.resolve("server.log.1"))).isEqualTo(line(1) + line(2) + line(3));
        assertThat(Files.readString(file)).isEqualTo(line(4));
    }

    @Test
    void aWriteFailureDoesNotThrowAndWritingResumesOnceTheFolderCanBeMadeAgain() throws IOException {
        Path folder = dir.resolve("logs");
        Path file = folder.resolve("server.log");
        RollingFileSink sink = new RollingFileSink(file);
        sink.write(line(1));
        deleteTree(folder);
        Files.writeString(folder, "a file where the folder was");

        sink.write(line(2)); // cannot be written: no exception

        Files.delete(folder);
        sink.write(line(3));
        sink.close();

        assertThat(Files.readString(file)).isEqualTo(line(3));
    }

    @Test
    void aFileDeletedWhileOpenIsCreatedAnewAtTheNextLine() throws IOException {
        Path file = dir.resolve("logs/server.log");
        RollingFileSink sink = new RollingFileSink(file);
        sink.write(line(1));
        deleteTree(file.getParent());

        sink.write(line(2));
        sink.close();

        assertThat(Files.readString(file)).isEqualTo(line(2));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
