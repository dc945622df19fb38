package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command-line edges: empty folder options, ports with spaces, a file given as the workspace.
 * The fast {@code daemon} parser ({@link DaemonArgs}) must decline each usage error so that
 * picocli answers it, the same way on both paths.
 */
class CommandLineEdgesTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    @TempDir
    Path dir;

    /** Runs the command line the way {@link Heddle#main} does: the fast path first, else picocli. */
    private int run(String... args) {
        Optional<DaemonRun.Settings> fast = DaemonArgs.parse(args);
        assertThat(fast)
                .as("the fast parser must leave %s to picocli", String.join(" ", args))
                .isEmpty();
        return HeddleCommand.run(args, terminal);
    }

    private String firstStderrLine() {
        return err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
    }

    private void assertUsageError(List<String> args, String command, String cause) {
        err.reset();
        out.reset();
        assertThat(run(args.toArray(new String[0]))).as(args.toString()).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine())
                .as(args.toString())
                .startsWith("heddle " + command + ": ")
                .contains(cause);
        assertThat(err.toString(StandardCharsets.UTF_8)).as(args.toString()).contains("Usage: heddle " + command);
        assertThat(out.size()).as(args.toString()).isZero();
    }

    @Test
    void emptyWorkspaceIsAUsageErrorInEverySpelling() {
        for (List<String> args : List.of(
                List.of("daemon", "--workspace", ""),
                List.of("daemon", "--workspace="),
                List.of("daemon", "--workspace", " "),
                List.of("daemon", "--port", "0", "--workspace", ""))) {
            assertUsageError(args, "daemon", "--workspace is empty. Give a folder, or leave the option out");
        }
        assertUsageError(List.of("chat", "--workspace", ""), "chat", "--workspace is empty.");
    }

    @Test
    void emptyStateDirIsAUsageError() {
        assertUsageError(List.of("daemon", "--state-dir", ""), "daemon", "--state-dir is empty.");
        assertUsageError(List.of("daemon", "--state-dir="), "daemon", "--state-dir is empty.");
    }

    @Test
    void emptyAssetsAndExtensionsDirsAreUsageErrors() {
        assertUsageError(List.of("daemon", "--assets-dir", ""), "daemon", "--assets-dir is empty.");
        assertUsageError(List.of("daemon", "--extensions-dir="), "daemon", "--extensions-dir is empty.");
    }

    @Test
    void portWithSpacesIsAUsageError() {
        for (String port : List.of(" 80", "80 ", " 80 ", "8 0", "\t80")) {
            assertUsageError(List.of("daemon", "--port", port), "daemon", "'" + port + "' is not a port number");
            assertUsageError(List.of("chat", "--port", port), "chat", "'" + port + "' is not a port number");
        }
        assertUsageError(List.of("daemon", "--port= 80"), "daemon", "' 80' is not a port number");
    }

    @Test
    void portConverterTakesDigitsOnly() {
        PortConverter converter = new PortConverter();
        assertThat(converter.convert("80")).isEqualTo(80);
        assertThat(converter.convert("0")).isZero();
        assertThatThrownBy(() -> converter.convert(" 80")).hasMessageContaining("' 80' is not a port number");
    }

    @Test
    void workspaceThatIsAFileSaysItIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "not a folder");

        assertThatThrownBy(() -> DaemonRun.workspaceRoot(Optional.of(file)))
                .isInstanceOfSatisfying(
                        CommandFailure.class, f -> assertThat(f.exitCode()).isEqualTo(Heddle.FAILURE))
                .hasMessage("The workspace " + file + " is a file, not a folder. Pass --workspace with a folder.");
    }

    @Test
    void missingWorkspaceSaysItDoesNotExist() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> DaemonRun.workspaceRoot(Optional.of(missing)))
                .isInstanceOf(CommandFailure.class)
                .hasMessageStartingWith("The workspace folder " + missing + " does not exist.");
        assertThat(DaemonRun.workspaceRoot(Optional.of(dir)))
                .isEqualTo(dir.toAbsolutePath().normalize());
    }
}
