package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class CommandLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);

    private int run(String... args) {
        return HeddleCommand.run(args, terminal);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String firstStderrLine() {
        return stderr().lines().findFirst().orElse("");
    }

    private DaemonRun.Settings parseDaemon(String... args) {
        DaemonCommand command = new DaemonCommand(terminal);
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void daemonDefaults() {
        DaemonRun.Settings s = parseDaemon();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8765);
        assertThat(s.workspace()).isEmpty();
        assertThat(s.stateDir()).isEqualTo(".heddle");
        assertThat(s.assetsDir()).isEmpty();
        assertThat(s.noAssets()).as("the bundled UI is the default").isFalse();
        assertThat(s.forceOwnerConflict()).isFalse();
        assertThat(s.extensionsDir()).isEmpty();
    }

    @Test
    void daemonExtensionsDirInBothSpellings() {
        assertThat(parseDaemon("--extensions-dir", "/srv/ext").extensionsDir()).contains(Path.of("/srv/ext"));
        assertThat(parseDaemon("--extensions-dir=rel/ext").extensionsDir()).contains(Path.of("rel/ext"));
    }

    @Test
    void daemonHostAndPortInBothSpellings() {
        DaemonRun.Settings s = parseDaemon("--host", "0.0.0.0", "--port=9001");
        assertThat(s.host()).isEqualTo("0.0.0.0");
        assertThat(s.port()).isEqualTo(9001);
        assertThat(parseDaemon("--port", "0").port()).isZero();
        assertThat(parseDaemon("--port", "65535").port()).isEqualTo(65535);
    }

    @Test
    void daemonWorkspaceStateAssetsAndForce() {
        DaemonRun.Settings s = parseDaemon(
                "--workspace", "/tmp/ws", "--state-dir", "state", "--assets-dir", "/tmp/ui", "--force-owner-conflict");
        assertThat(s.workspace()).contains(Path.of("/tmp/ws"));
        assertThat(s.stateDir()).isEqualTo("state");
        assertThat(s.assetsDir()).contains(Path.of("/tmp/ui"));
        assertThat(s.forceOwnerConflict()).isTrue();
    }

    @Test
    void noAssetsMeansNone() {
        assertThat(parseDaemon("--no-assets").assetsDir()).isEqualTo(Optional.empty());
        assertThat(parseDaemon("--no-assets").noAssets()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "70000", "0x1", "-1", "+80", "8e3", "", "65536", "80.0"})
    void badPortIsUsageErrorNamingCauseAndFix(String port) {
        assertThat(run("daemon", "--port", port)).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine())
                .startsWith("heddle daemon: ")
                .contains("--port")
                .contains("Use a whole number from 0 to 65535");
        assertThat(stderr()).contains("Usage: heddle daemon");
        assertThat(out.size()).isZero();
    }

    @Test
    void unknownOptionIsUsageError() {
        assertThat(run("daemon", "--bogus")).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).contains("Unknown option: '--bogus'").contains("Remove it");
        assertThat(stderr()).contains("Usage: heddle daemon");
    }

    @Test
    void repeatedOptionIsUsageError() {
        assertThat(run("daemon", "--port", "1", "--port", "2")).isEqualTo(Heddle.USAGE);
    }

    @Test
    void contradictoryAssetFlagsAreUsageError() {
        assertThat(run("daemon", "--assets-dir", "/tmp", "--no-assets")).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).contains("--assets-dir and --no-assets contradict each other");
    }

    @Test
    void emptyHostIsUsageError() {
        assertThat(run("daemon", "--host", " ")).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).contains("--host is empty");
    }

    @Test
    void unknownCommandAndNoCommandAreUsageErrors() {
        assertThat(run("deamon")).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle: ");
        err.reset();
        assertThat(run()).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).contains("No command given");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-5", "99999999"})
    void badStopTimeoutIsUsageError(String value) {
        assertThat(run("stop", "--timeout", value)).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle stop: ").contains("--timeout");
    }

    @Test
    void statusTakesNoArguments() {
        assertThat(run("status", "extra")).isEqualTo(Heddle.USAGE);
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("daemon")
                .contains("status")
                .contains("stop");
        out.reset();
        for (String command : new String[] {"daemon", "status", "stop"}) {
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: heddle " + command);
            out.reset();
        }
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("heddle ");
        assertThat(stderr()).isEmpty();
    }

    /** The plain-Java daemon parser must know exactly the daemon options picocli knows. */
    @Test
    void daemonArgsKnowsEveryDaemonOption() {
        Set<String> names = new HashSet<>();
        for (OptionSpec option :
                new CommandLine(new DaemonCommand(terminal)).getCommandSpec().options()) {
            names.addAll(Set.of(option.names()));
            if (DaemonArgs.VALUE_OPTIONS.contains(option.longestName())) {
                assertThat(option.arity().min()).as(option.longestName()).isEqualTo(1);
            }
            if (DaemonArgs.FLAG_OPTIONS.contains(option.longestName())) {
                assertThat(option.arity().max()).as(option.longestName()).isZero();
            }
        }
        Set<String> known = new HashSet<>(DaemonArgs.VALUE_OPTIONS);
        known.addAll(DaemonArgs.FLAG_OPTIONS);
        // help and version always go through picocli
        known.addAll(Set.of("-h", "--help", "-V", "--version"));
        assertThat(known).isEqualTo(names);
    }

    @Test
    void daemonArgsGivesExactlyWhatPicocliGives() {
        String[][] accepted = {
            {"daemon"},
            {"daemon", "--port", "8765"},
            {"daemon", "--port=0"},
            {"daemon", "--port", "08080"},
            {"daemon", "--host", "localhost"},
            {"daemon", "--host=0.0.0.0", "--port=65535"},
            {"daemon", "--workspace", "/tmp", "--state-dir", "x", "--assets-dir", "/ui"},
            {"daemon", "--no-assets"},
            {"daemon", "--force-owner-conflict", "--workspace=rel/dir", "--state-dir=.state"},
            {"daemon", "--extensions-dir", "/srv/ext"},
            {"daemon", "--extensions-dir=rel/ext", "--port", "0"}
        };
        for (String[] args : accepted) {
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            assertThat(DaemonArgs.parse(args)).as(String.join(" ", args)).contains(parseDaemon(rest));
        }
        String[][] declined = {
            {},
            {"status"},
            {"daemon", "--port", "abc"},
            {"daemon", "--port", "70000"},
            {"daemon", "--port", "0x1"},
            {"daemon", "--port", "000080"},
            {"daemon", "--port", "\u0661\u0662"},
            {"daemon", "--bogus"},
            {"daemon", "--help"},
            {"daemon", "-h"},
            {"daemon", "-V"},
            {"daemon", "--port", "1", "--port", "2"},
            {"daemon", "--assets-dir", "/ui", "--no-assets"},
            {"daemon", "--host"},
            {"daemon", "--host", "--port"},
            {"daemon", "--host="},
            {"daemon", "--host", " x"},
            {"daemon", "@args"},
            {"daemon", "--no-assets=true"},
            {"daemon", "extra"},
            {"daemon", "--"},
            {"daemon", "--no-assets", "--no-assets"},
            {"daemon", "--state-dir", ""},
            {"daemon", "--extensions-dir"},
            {"daemon", "--extensions-dir", "a", "--extensions-dir", "b"},
            {"daemon", "--state-dir", "/tmp/elsewhere"},
            {"daemon", "--state-dir", "../up"},
            {"daemon", "--state-dir", "a/../../b"}
        };
        for (String[] args : declined) {
            assertThat(DaemonArgs.parse(args)).as(String.join(" ", args)).isEmpty();
        }
    }

    @Test
    void stateDirOutsideTheWorkspaceIsAUsageError() {
        for (String bad : new String[] {"/tmp/elsewhere", "../up", "a/../../b"}) {
            assertThatThrownBy(() -> parseDaemon("--state-dir", bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageContaining("must be a folder name inside the workspace");
        }
        assertThat(parseDaemon("--state-dir", "state/nested").stateDir()).isEqualTo("state/nested");
    }

    private ChatRun.Settings parseChat(String... args) {
        ChatCommand command = new ChatCommand(terminal);
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void chatDefaultsToAnyFreePortAndANewSession() {
        ChatRun.Settings s = parseChat();
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isZero();
        assertThat(s.workspace()).isEmpty();
        assertThat(s.session()).isEmpty();
        assertThat(s.history()).isEqualTo(20);
        ChatRun.Settings given =
                parseChat("--port=9002", "--workspace", "/tmp/ws", "--session", "cs-1_a", "--history", "0");
        assertThat(given.port()).isEqualTo(9002);
        assertThat(given.workspace()).contains(Path.of("/tmp/ws"));
        assertThat(given.session()).contains("cs-1_a");
        assertThat(given.history()).isZero();
        assertThat(given.engine()).isEmpty();
        assertThat(parseChat("--engine", "claude.v2").engine()).contains("claude.v2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "many", "", "1.5"})
    void badHistoryCountIsUsageError(String n) {
        assertThat(run("chat", "--history", n)).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle chat: ").contains("is not a number of messages");
        assertThat(out.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"a/b", "..", "has space", "a0123456789012345678901234567890123456789012345678901234567890123"})
    void badSessionIdIsUsageError(String id) {
        assertThat(run("chat", "--session", id)).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle chat: ").contains("is not a session id");
        assertThat(stderr()).contains("Usage: heddle chat");
        assertThat(out.size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-x", "has space", "a/b"})
    void badEngineNameIsUsageError(String name) {
        assertThat(run("chat", "--engine=" + name)).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle chat: ").contains("is not an engine name");
        assertThat(out.size()).isZero();
    }

    @Test
    void chatBadPortIsUsageError() {
        assertThat(run("chat", "--port", "70000")).isEqualTo(Heddle.USAGE);
        assertThat(firstStderrLine()).startsWith("heddle chat: ").contains("Use a whole number from 0 to 65535");
    }

    @Test
    void replyPrinterStreamsChunksAndMarksNotices() {
        ChatRun.ReplyPrinter printer = new ChatRun.ReplyPrinter(terminal);
        printer.line(java.util.Map.of("type", "message", "message", java.util.Map.of("role", "user", "text", "hi")));
        printer.line(java.util.Map.of("type", "chunk", "text", "Hel"));
        printer.line(java.util.Map.of("type", "chunk", "text", "lo"));
        printer.line(
                java.util.Map.of("type", "message", "message", java.util.Map.of("role", "assistant", "text", "Hello")));
        printer.line(java.util.Map.of(
                "type", "message", "message", java.util.Map.of("role", "system", "text", "The engine failed.")));
        printer.end();
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .containsExactly("Hello", "[system] The engine failed.");
    }
}
