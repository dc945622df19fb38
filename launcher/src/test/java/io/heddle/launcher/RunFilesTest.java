package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFilesTest {

    @TempDir
    Path home;

    @Test
    void pidFromServerIdsAndTokenNames() {
        assertThat(RunFiles.pidOf("daemon-4242-1780000000000")).hasValue(4242);
        assertThat(RunFiles.pidOf("daemon-4242-1780000000000.token")).hasValue(4242);
        assertThat(RunFiles.pidOf("embedded-chat-77-1780000000000.token")).hasValue(77);
        assertThat(RunFiles.pidOf("http-bind.lock")).isEmpty();
        assertThat(RunFiles.pidOf("notes.txt")).isEmpty();
    }

    @Test
    void prunesOnlyWhatDeadProcessesLeft() throws IOException {
        HomeFolder folder = new HomeFolder(home);
        long self = ProcessHandle.current().pid();
        long dead = deadPid();
        Path liveCache = Files.createDirectories(folder.cacheFor("daemon-" + self + "-1"));
        Path deadCache =
                Files.createDirectories(folder.cacheFor("daemon-" + dead + "-1").resolve("bundle1"));
        Files.createDirectories(folder.run());
        Path liveToken = Files.writeString(folder.tokenFile("daemon-" + self + "-1"), "t");
        Path deadToken = Files.writeString(folder.tokenFile("daemon-" + dead + "-1"), "t");
        Path lock = Files.writeString(folder.run().resolve("http-bind.lock"), "");

        RunFiles.pruneDeadProcesses(folder);

        assertThat(liveCache).exists();
        assertThat(deadCache.getParent()).doesNotExist();
        assertThat(liveToken).exists();
        assertThat(deadToken).doesNotExist();
        assertThat(lock).exists();
    }

    @Test
    void anotherServerProcessIsOneWithALiveTokenThatIsNotUs() throws IOException {
        HomeFolder folder = new HomeFolder(home);
        long self = ProcessHandle.current().pid();
        assertThat(RunFiles.anotherServerProcessAlive(folder, self)).isFalse();
        Files.createDirectories(folder.run());
        Files.writeString(folder.tokenFile("daemon-" + deadPid() + "-1"), "t");
        Files.writeString(folder.tokenFile("daemon-" + self + "-1"), "t");
        assertThat(RunFiles.anotherServerProcessAlive(folder, self)).isFalse();
        assertThat(RunFiles.anotherServerProcessAlive(folder, -1)).isTrue();
    }

    private static long deadPid() {
        for (long pid = 4_000_000; pid > 3_000_000; pid--) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
        throw new IllegalStateException("no free pid found");
    }
}
