package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.extensions.TestJars;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/** The extensions folder of the real {@code heddle daemon}: its flag, its configuration, and restarts. */
public class ExtensionsE2E {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final HeddleSandbox sandbox = new HeddleSandbox("extensions");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    private static Path helloJar() {
        return Path.of(System.getProperty("heddle.exampleExtension", "target/test-extensions/extension-hello.jar"));
    }

    /** Copies a jar under a hidden name, then renames it into the folder. */
    private static void dropIn(Path folder, String fileName, byte[] jar) throws IOException {
        Path staged = Files.createTempFile(folder, "." + fileName, ".part");
        Files.write(staged, jar);
        Files.move(staged, folder.resolve(fileName), StandardCopyOption.ATOMIC_MOVE);
    }

    private static String get(ServerRecord server, String path) {
        return HeddleSandbox.statusAndBody(server, path);
    }

    private HeddleRun stop() throws Exception {
        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        return stop;
    }

    @Test
    public void extensionDeletedWhileTheDaemonIsStoppedIsUninstalledOnRestart() throws Exception {
        Path folder = sandbox.home().resolve("my-extensions");
        String port = Integer.toString(Sockets.freePort());
        sandbox.startDaemon("--port", port, "--extensions-dir", folder.toString());
        ServerRecord first = sandbox.liveRecord().orElseThrow();
        assertThat(folder).as("--extensions-dir creates the folder").isDirectory();
        dropIn(folder, "hello.jar", Files.readAllBytes(helloJar()));
        dropIn(folder, "kept.jar", TestJars.bundle("test.kept").bytes());
        Poll.until("hello serves", DEADLINE, () -> get(first, "/api/ext/hello").startsWith("200 "));
        Poll.until("both extensions are active", DEADLINE, () -> {
            String list = get(first, "/api/extensions");
            return list.contains("\"file\":\"hello.jar\"")
                    && list.contains("\"file\":\"kept.jar\"")
                    && !list.contains("\"state\":\"INSTALLED\"")
                    && !list.contains("NOT_INSTALLED");
        });
        assertThat(get(first, "/api/ext/hello")).contains("\"serverId\":\"" + first.serverId() + "\"");
        assertThat(get(first, "/api/extensions")).contains("\"folder\":\"" + folder.toRealPath() + "\"");

        stop();
        Files.delete(folder.resolve("hello.jar"));
        sandbox.startDaemon("--port", port, "--extensions-dir", folder.toString());
        ServerRecord second = sandbox.liveRecord().orElseThrow();

        assertThat(second.serverId()).isNotEqualTo(first.serverId());
        // kept.jar active again means the watcher has reconciled the folder with what is installed
        Poll.until(
                "kept.jar is active again",
                DEADLINE,
                () -> get(second, "/api/extensions").matches("(?s).*\"file\":\"kept.jar\"[^}]*\"state\":\"ACTIVE\".*"));
        assertThat(get(second, "/api/extensions"))
                .doesNotContain("hello.jar")
                .doesNotContain("io.heddle.examples.extension-hello");
        assertThat(get(second, "/api/ext/hello")).startsWith("404 ");
        assertThat(get(second, "/api/health")).startsWith("200 ");
    }

    @Test
    public void folderComesFromTheCommandLineThenTheConfigurationThenTheDefault() throws Exception {
        String port = Integer.toString(Sockets.freePort());

        HeddleRun first = sandbox.startDaemon("--port", port);
        ServerRecord defaults = sandbox.liveRecord().orElseThrow();
        Path standard = sandbox.home().resolve("extensions");
        Poll.until(
                "the default folder is watched",
                DEADLINE,
                () -> get(defaults, "/api/extensions").contains("\"folder\":\"" + standard + "\""));
        stop();
        // the stopped daemon's process must be gone before its etc/ changes, or its own watcher sees them
        assertThat(first.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(first.report())
                .isZero();

        Path configured = Files.createDirectories(sandbox.home().resolve("configured-extensions"));
        Files.writeString(
                sandbox.home().resolve("etc").resolve("io.heddle.extensions.cfg"),
                "dir=" + configured + "\npollMs=50\n");
        sandbox.startDaemon("--port", port);
        ServerRecord fromConfiguration = sandbox.liveRecord().orElseThrow();
        Poll.until(
                "the configured folder is watched",
                DEADLINE,
                () -> get(fromConfiguration, "/api/extensions").contains("\"folder\":\"" + configured + "\""));
        dropIn(configured, "hello.jar", Files.readAllBytes(helloJar()));
        Poll.until(
                "an extension of the configured folder serves",
                DEADLINE,
                () -> get(fromConfiguration, "/api/ext/hello").startsWith("200 "));
        stop();

        Path flagged = sandbox.home().resolve("flagged-extensions");
        sandbox.startDaemon("--port", port, "--extensions-dir", flagged.toString());
        ServerRecord fromFlag = sandbox.liveRecord().orElseThrow();
        assertThat(get(fromFlag, "/api/extensions")).contains("\"folder\":\"" + flagged + "\"");
        assertThat(get(fromFlag, "/api/ext/hello"))
                .as("the configured folder is not watched")
                .startsWith("404 ");
    }

    @Test
    public void extensionsDirThatIsAFileIsRefusedBeforeBoot() throws Exception {
        Path file = Files.writeString(sandbox.home().resolve("not-a-folder"), "x");

        HeddleRun run = sandbox.run(
                "daemon",
                "--workspace",
                sandbox.workspace().toString(),
                "--port",
                "0",
                "--extensions-dir",
                file.toString());

        assertThat(run.process().exitValue()).as(run.report()).isEqualTo(1);
        assertThat(run.stderr()).hasSize(1);
        assertThat(run.stderr().get(0)).contains(file.toString()).contains("is a file, not a folder");
        assertThat(sandbox.cacheFolders()).as("no framework was booted").isEmpty();
    }
}
