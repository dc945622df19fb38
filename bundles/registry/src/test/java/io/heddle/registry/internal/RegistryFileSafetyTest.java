package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.copyFixture;
import static io.heddle.registry.internal.RegistryTestData.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** What the registry does to the file system around it. */
class RegistryFileSafetyTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private FileDaemonRegistry registryAt(Path file, Duration lockTimeout) {
        return new FileDaemonRegistry(file, clock, Duration.ofSeconds(45), new ProcessLiveness(), warnings::add,
                lockTimeout);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void writtenRegistryFileIsReadableByItsOwnerOnly() throws IOException {
        Path file = copyFixture("reference-format.json", dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        registryAt(file, Duration.ofSeconds(5)).claim(server("daemon-ours", 0, T0));

        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void foldersTheRegistryCreatesAreReadableByTheirOwnerOnly() throws IOException {
        Path home = dir.resolve("home");
        Path file = home.resolve("nested").resolve(REGISTRY_FILE);

        registryAt(file, Duration.ofSeconds(5)).claim(server("daemon-ours", 0, T0));

        assertThat(mode(home)).isEqualTo("rwx------");
        assertThat(mode(home.resolve("nested"))).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void writingNeverChangesThePermissionsOfAnExistingFolder() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        registryAt(shared.resolve(REGISTRY_FILE), Duration.ofSeconds(5)).claim(server("daemon-ours", 0, T0));

        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    }
}
