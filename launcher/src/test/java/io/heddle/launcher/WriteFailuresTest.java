package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.workspace.WorkspaceCatalogException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way the OS refuses a write during a start becomes one line naming the folder, the OS's
 * own words and the fix; anything else keeps its own message.
 */
class WriteFailuresTest {

    private static final Path HOME = Path.of("/h/.heddle");
    private static final Path WORKSPACE = Path.of("/src/repo");
    private static final Path STATE = WORKSPACE.resolve(".heddle");
    private static final WriteFailures.Places PLACES = new WriteFailures.Places(HOME, WORKSPACE, STATE);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    @Test
    void osWordsComeBackForExceptionsThatHideThem() {
        assertThat(WriteFailures.osReason(new AccessDeniedException("/src/repo/.heddle")))
                .isEqualTo("Permission denied");
        assertThat(WriteFailures.osReason(new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("Read-only file system");
        assertThat(WriteFailures.osReason(new NoSuchFileException("/x"))).isEqualTo("No such file or directory");
        assertThat(WriteFailures.osReason(new IOException("No space left on device")))
                .isEqualTo("No space left on device");
    }

    @Test
    void kindsOfRefusal() {
        assertThat(WriteFailures.kind("No space left on device")).isEqualTo(WriteFailures.Kind.DISK_FULL);
        assertThat(WriteFailures.kind("Disk quota exceeded")).isEqualTo(WriteFailures.Kind.DISK_FULL);
        assertThat(WriteFailures.kind("Permission denied")).isEqualTo(WriteFailures.Kind.NOT_WRITABLE);
        assertThat(WriteFailures.kind("Read-only file system")).isEqualTo(WriteFailures.Kind.NOT_WRITABLE);
        assertThat(WriteFailures.kind("zip END header not found")).isEqualTo(WriteFailures.Kind.OTHER);
    }

    @Test
    void unwritableWorkspaceNamesTheStateFolderThePermissionAndTheFix() {
        // what the workspace catalog throws today: its message ends with the bare path
        WorkspaceCatalogException catalog = new WorkspaceCatalogException(
                "Cannot lock the workspace catalog through " + STATE.resolve("workspaces.catalog.lock") + ": " + STATE,
                new AccessDeniedException(STATE.toString()));
        ServerStartException start = new ServerStartException(
                ServerStartException.Reason.REGISTRY_UNAVAILABLE, catalog.getMessage(), catalog);

        assertThat(DaemonRun.startFailure(start, PLACES, STATE.resolve("logs/server.log")))
                .isEqualTo("Cannot write the workspace state folder /src/repo/.heddle (/src/repo/.heddle: Permission"
                        + " denied). Make it writable for you, or pass --workspace with a folder you can write to.");
    }

    @Test
    void fullDiskUnderTheWorkspaceSaysFreeSpace() {
        ServerStartException start = new ServerStartException(
                ServerStartException.Reason.REGISTRY_UNAVAILABLE,
                "Cannot lock the workspace catalog",
                new WorkspaceCatalogException("Cannot lock", new IOException("No space left on device")));

        assertThat(DaemonRun.startFailure(start, PLACES, STATE.resolve("logs/server.log")))
                .isEqualTo("Cannot write the workspace state folder /src/repo/.heddle (No space left on device)."
                        + " Free space on that disk, or pass --workspace with a folder on another disk.");
    }

    @Test
    void fullHomeBlamesHeddleHomeWhenTheRegistryFailed() {
        ServerStartException start = new ServerStartException(
                ServerStartException.Reason.REGISTRY_UNAVAILABLE,
                "Cannot write the registry",
                new RegistryException("Cannot write the registry", new IOException("No space left on device")));

        assertThat(DaemonRun.startFailure(start, PLACES, STATE.resolve("logs/server.log")))
                .startsWith("Cannot write HEDDLE_HOME /h/.heddle (No space left on device).")
                .endsWith("point HEDDLE_HOME at a folder on another disk.");
    }

    @Test
    void fullOrReadOnlyBundleCacheSaysSoInsteadOfRebuildTheDistribution() {
        WriteFailures.Places home = new WriteFailures.Places(HOME, null, null);
        Exception felixFull = new org.osgi.framework.BundleException(
                "Unable to cache bundle: reference:file:/x.jar", new IOException("No space left on device"));
        Exception readOnly =
                new FileSystemException(HOME.resolve("cache/daemon-1-2").toString(), null, "Read-only file system");

        assertThat(WriteFailures.describe(felixFull, home, WriteFailures.Area.CACHE))
                .contains(
                        "Cannot write the bundle cache /h/.heddle/cache (No space left on device). Free space on that disk,"
                                + " or point HEDDLE_HOME at a folder on another disk.");
        assertThat(WriteFailures.describe(readOnly, home, WriteFailures.Area.HOME))
                .contains(
                        "Cannot write the bundle cache /h/.heddle/cache (/h/.heddle/cache/daemon-1-2: Read-only file system)."
                                + " Make it writable for you, or point HEDDLE_HOME at a folder you own.");
    }

    @Test
    void otherFailuresKeepTheirOwnMessage() {
        Exception brokenJar = new org.osgi.framework.BundleException(
                "Unable to cache bundle", new ZipException("zip END header not found"));
        ServerStartException assets = new ServerStartException(
                ServerStartException.Reason.ASSETS_MISSING, "Web assets not found at /ui (no index.html)", null);

        assertThat(WriteFailures.describe(brokenJar, PLACES, WriteFailures.Area.CACHE))
                .isEmpty();
        assertThat(DaemonRun.startFailure(assets, PLACES, dir.resolve("no-log")))
                .isEqualTo("Web assets not found at /ui (no index.html).");
    }

    @Test
    void stateFolderAndLogFileArePreparedPrivately() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path state = workspace.resolve(".heddle");
        Path log = state.resolve("logs/server.log");

        assertThat(StartFolders.prepareState(
                        new WriteFailures.Places(dir.resolve("home"), workspace, state), log, terminal))
                .isTrue();

        assertThat(log).isRegularFile().isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
                .isEqualTo("rw-------");
        assertThat(err.size()).isZero();
    }

    @Test
    void aFileWhereTheStateFolderGoesIsNamed() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path state = Files.writeString(workspace.resolve(".heddle"), "x");

        assertThatThrownBy(() -> StartFolders.prepareState(
                        new WriteFailures.Places(dir, workspace, state), state.resolve("logs/server.log"), terminal))
                .isInstanceOf(CommandFailure.class)
                .hasMessage("The state folder " + state + " is a file, not a folder. Move it away, or pass --state-dir"
                        + " with another name.");
    }

    @Test
    void unwritableLogFileIsOneWarningAndTheStartGoesOn() throws IOException {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path state = workspace.resolve(".heddle");
        Path log = Files.createDirectories(state.resolve("logs/server.log"));

        assertThat(StartFolders.prepareState(new WriteFailures.Places(dir, workspace, state), log, terminal))
                .isFalse();

        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("heddle: warning: cannot write the log" + " file " + log
                        + " (Is a directory); the server runs without it.");
    }
}
