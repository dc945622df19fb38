package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.copyFixture;
import static io.heddle.registry.internal.RegistryTestData.fixtureBytes;
import static io.heddle.registry.internal.RegistryTestData.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.registry.ClearResult;
import io.heddle.api.registry.RegistryException;
import io.heddle.itest.support.MutableClock;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the registry does to the file system around it: permissions, and the lock between processes. */
class RegistryFileSafetyTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private FileDaemonRegistry registryAt(Path file, Duration lockTimeout) {
        return new FileDaemonRegistry(
                file, clock, Duration.ofSeconds(45), new ProcessLiveness(), warnings::add, lockTimeout);
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
        Path shared = Files.createDirectory(
                dir.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        registryAt(shared.resolve(REGISTRY_FILE), Duration.ofSeconds(5)).claim(server("daemon-ours", 0, T0));

        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void lockTimeoutNamesTheLockFileAndTheHoldersPid() {
        Path file = copyFixture("reference-format.json", dir);
        FileDaemonRegistry registry = registryAt(file, Duration.ofMillis(300));
        ChildProcesses.Child holder =
                children.startJava(LockHolderMain.class, registry.lockFile().toString());
        assertThat(holder.readLine(Duration.ofSeconds(20))).isEqualTo("HELD " + holder.pid());

        assertThatThrownBy(() -> registry.claim(server("daemon-ours", 0, T0)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("Timed out after 300 ms")
                .hasMessageContaining(registry.lockFile().toString())
                .hasMessageContaining("held by process " + holder.pid());
        assertThat(file).hasBinaryContent(fixtureBytes("reference-format.json"));

        holder.closeStdin();
        assertThat(holder.awaitExit(Duration.ofSeconds(10))).isZero();
        assertThat(registry.clear("daemon-4242-1780000000000")).isEqualTo(ClearResult.cleared());
    }

    @Test
    void readingNeverWaitsForTheLock() {
        copyFixture("reference-format.json", dir);
        FileDaemonRegistry registry = registryAt(dir.resolve(REGISTRY_FILE), Duration.ofMillis(300));
        ChildProcesses.Child holder =
                children.startJava(LockHolderMain.class, registry.lockFile().toString());
        holder.readLine(Duration.ofSeconds(20));

        assertThat(registry.read().server()).isPresent();
        assertThat(warnings).isEmpty();
    }
}
