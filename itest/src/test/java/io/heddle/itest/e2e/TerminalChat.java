package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code heddle chat} on a pseudo-terminal: {@code script} (util-linux) runs it on a pty, so it
 * meets a terminal as a user's chat does (echo, Ctrl-C as SIGINT to the foreground group). What
 * the pty shows (the chat's stdout and stderr, and the echo of typed lines) is the run's stdout.
 */
final class TerminalChat {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** What the command engine of {@link #installEchoEngine} answers: this prefix and the message. */
    static final String ECHO = "echo: ";

    private final HeddleRun run;
    private final OutputStream keys;

    private TerminalChat(HeddleRun run) {
        this.run = run;
        this.keys = run.process().getOutputStream();
    }

    /**
     * A tiny script as the {@code command} chat engine of the sandbox: it answers
     * {@code echo: <the last message>}.
     */
    static void installEchoEngine(HeddleSandbox sandbox) throws IOException {
        Path engine = sandbox.home().resolve("echo-engine.sh");
        Files.writeString(engine, "#!/bin/sh\nIFS= read -r line\nprintf '" + ECHO + "%s' \"$line\"\n");
        assertThat(engine.toFile().setExecutable(true)).isTrue();
        Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(
                sandbox.home().resolve("etc/io.heddle.chat.engine.command.cfg"),
                "argv=[\"" + engine + "\"]\ninput=last-message\n");
    }

    /** Starts {@code heddle chat <args>} on a pseudo-terminal and waits for its first prompt. */
    static TerminalChat start(HeddleSandbox sandbox, String... args) throws IOException, InterruptedException {
        StringBuilder command = new StringBuilder("exec ")
                .append(quote(HeddleSandbox.executable().toString()))
                .append(" chat");
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        HeddleRun run = sandbox.startRaw(List.of("script", "-q", "-e", "-c", command.toString(), "/dev/null"));
        TerminalChat chat = new TerminalChat(run);
        assertThat(run.awaitLine(l -> l.startsWith("Type a message"), HeddleSandbox.START_DEADLINE))
                .as(run.report())
                .isPresent();
        return chat;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    HeddleRun run() {
        return run;
    }

    List<String> lines() {
        return run.stdout();
    }

    /** The value of the first {@code key=value} line. */
    Optional<String> value(String key) {
        return run.value(key);
    }

    /** Types a line and Enter. */
    void type(String line) throws IOException {
        keys.write((line + "\r").getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    /** Presses Ctrl-C. */
    void interrupt() throws IOException {
        keys.write(3);
        keys.flush();
    }

    /** Waits for a line that contains {@code text}, printed after line {@code from}. */
    Optional<String> awaitAfter(int from, String text) throws InterruptedException {
        return run.awaitLine(l -> l.contains(text) && lines().indexOf(l) >= from, DEADLINE);
    }

    /**
     * Sends {@code text-<n>} until the engine answers one: the engine's configuration reaches a
     * new server through FileInstall, on its own time, and until then a message gets the
     * no-engine notice. Answers the message that was answered.
     */
    String sendUntilAnswered(String text) throws IOException, InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        for (int attempt = 0; System.nanoTime() < end; attempt++) {
            String message = text + "-" + attempt;
            int before = lines().size();
            type(message);
            Optional<String> answer = run.awaitLine(
                    l -> l.contains(ECHO + message)
                            || (l.contains("[system]") && lines().indexOf(l) >= before)
                            || l.contains("heddle: "),
                    DEADLINE);
            assertThat(answer).as(run.report()).isPresent();
            assertThat(answer.get()).as(run.report()).doesNotContain("heddle: ");
            if (answer.get().contains(ECHO + message)) {
                return message;
            }
        }
        throw new AssertionError("the echo engine never answered" + run.report());
    }

    /** Leaves with {@code /exit}; answers the exit code. */
    int exit() throws IOException, InterruptedException {
        type("/exit");
        return run.awaitExit(HeddleSandbox.EXIT_DEADLINE);
    }

    /** Kills the chat's JVM with SIGKILL (the pty's {@code script} then ends too). */
    void killClient() throws InterruptedException {
        List<ProcessHandle> jvms = new ArrayList<>();
        run.process()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .forEach(jvms::add);
        assertThat(jvms).as("the chat's JVM under " + run.report()).isNotEmpty();
        jvms.forEach(ProcessHandle::destroyForcibly);
        run.awaitExit(HeddleSandbox.EXIT_DEADLINE);
    }

    /** The pid of the chat's JVM. */
    long clientPid() {
        return run.process()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JVM under " + run.report()))
                .pid();
    }
}
