package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenCommandTest {

    @TempDir
    Path dir;

    private static ServerRecord server(String host, int port) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new ServerRecord("daemon-1-2", ServerMode.DAEMON, host, port, 1, t, t, t);
    }

    @Test
    void theUrlNamesTheBoundEndpointAndCarriesTheToken() {
        assertThat(OpenCommand.signInUrl(server("127.0.0.1", 8765), "abc_-9"))
                .isEqualTo("http://127.0.0.1:8765/?token=abc_-9");
        assertThat(OpenCommand.signInUrl(server("::1", 9000), "t")).isEqualTo("http://[::1]:9000/?token=t");
        assertThat(OpenCommand.signInUrl(server("localhost", 1), "a b&c"))
                .isEqualTo("http://localhost:1/?token=a+b%26c");
    }

    @Test
    void aWildcardBindIsOpenedThroughLoopback() {
        assertThat(OpenCommand.signInUrl(server("0.0.0.0", 8765), "t")).isEqualTo("http://127.0.0.1:8765/?token=t");
        assertThat(OpenCommand.signInUrl(server("::", 8765), "t")).isEqualTo("http://[::1]:8765/?token=t");
    }

    @Test
    void theOpenerIsTheFirstExecutableOfItsNameOnThePath() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(plain.resolve("xdg-open"), "not executable");
        Path xdg = Files.writeString(bin.resolve("xdg-open"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(xdg, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path open = Files.writeString(bin.resolve("open"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = String.join(File.pathSeparator, empty.toString(), plain.toString(), bin.toString());

        assertThat(OpenCommand.findOpener("Linux", path)).contains(xdg);
        assertThat(OpenCommand.findOpener("Mac OS X", path)).contains(open);
        assertThat(OpenCommand.findOpener("Linux", empty.toString())).isEmpty();
        assertThat(OpenCommand.findOpener("Linux", null)).isEmpty();
    }
}
