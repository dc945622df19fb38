package io.heddle.chat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.chat.ChatRole;
import io.heddle.itest.support.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class CommandChatEngineTest {

    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2026-06-02T10:00:00Z");

    /** Collects chunks; cancellation is set by hand. */
    static final class Collector implements ChatReplyStream {
        final List<String> chunks = new CopyOnWriteArrayList<>();
        volatile boolean cancelled;

        @Override
        public void chunk(String text) {
            chunks.add(text);
        }

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        String text() {
            return String.join("", chunks);
        }
    }

    private Path script(String body) throws Exception {
        Path file = Files.createTempFile(dir, "engine", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private ChatConversation conversation() {
        return new ChatConversation(
                "s1",
                "Session one",
                dir,
                List.of(
                        new ChatMessage(ChatRole.USER, "hello", T),
                        new ChatMessage(ChatRole.ASSISTANT, "hi", T),
                        new ChatMessage(ChatRole.SYSTEM, "heddle notice", T),
                        new ChatMessage(ChatRole.USER, "how are you?", T)));
    }

    private static CommandChatEngine engine(Path script, Duration timeout, CommandChatEngine.Input input) {
        return new CommandChatEngine(List.of(script.toString()), timeout, input);
    }

    @Test
    void pipesTheTranscriptWithoutSystemNoticesAndStreamsStdoutBack() throws Exception {
        Path script = script("cat; printf 'done in %s for %s' \"$PWD\" \"$HEDDLE_CHAT_SESSION_ID\"");
        Collector reply = new Collector();

        engine(script, Duration.ofSeconds(10), CommandChatEngine.Input.TRANSCRIPT)
                .reply(conversation(), reply);

        assertThat(reply.text())
                .isEqualTo(
                        "user: hello\nassistant: hi\nuser: how are you?\n" + "done in " + dir.toRealPath() + " for s1");
    }

    @Test
    void lastMessageInputSendsOnlyTheNewPrompt() throws Exception {
        Collector reply = new Collector();

        engine(script("cat"), Duration.ofSeconds(10), CommandChatEngine.Input.LAST_MESSAGE)
                .reply(conversation(), reply);

        assertThat(reply.text()).isEqualTo("how are you?\n");
    }

    @Test
    void jsonInputSendsTheSessionAsOneObject() throws Exception {
        Collector reply = new Collector();

        engine(script("cat"), Duration.ofSeconds(10), CommandChatEngine.Input.JSON)
                .reply(conversation(), reply);

        assertThat(reply.text())
                .startsWith("{\"sessionId\":\"s1\",\"sessionName\":\"Session one\",\"messages\":[")
                .contains("{\"role\":\"user\",\"text\":\"how are you?\",\"at\":\"2026-06-02T10:00:00.000Z\"}")
                .doesNotContain("heddle notice");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void streamsChunksBeforeTheProgramEnds() throws Exception {
        Path go = dir.resolve("go");
        // prints, then waits for the test to see that chunk before printing more
        Path script = script("printf 'first '; while [ ! -e '" + go + "' ]; do sleep 0.02; done; printf 'second'");
        Collector reply = new Collector();
        Thread engine = new Thread(() -> {
            try {
                engine(script, Duration.ofSeconds(15), CommandChatEngine.Input.TRANSCRIPT)
                        .reply(conversation(), reply);
            } catch (ChatEngineException e) {
                reply.chunk("FAILED " + e.getMessage());
            }
        });
        engine.start();

        Poll.until("the first chunk arrived", Duration.ofSeconds(10), () -> reply.chunks.contains("first "));
        assertThat(reply.chunks).containsExactly("first ");
        Files.createFile(go);
        engine.join(15_000);

        assertThat(reply.text()).isEqualTo("first second");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void timeoutKillsTheProgramAndItsChildrenAndKeepsThePartialReply() throws Exception {
        Path script = script("printf 'partial'; echo 'thinking hard' >&2; sleep 30 & wait");
        Collector reply = new Collector();

        assertThatThrownBy(() -> engine(script, Duration.ofMillis(300), CommandChatEngine.Input.TRANSCRIPT)
                        .reply(conversation(), reply))
                .isInstanceOf(ChatEngineException.class)
                .hasMessageContaining("did not finish within 300 ms")
                .hasMessageContaining("timeoutMs in io.heddle.chat.engine.command")
                .hasMessageContaining("thinking hard");
        assertThat(reply.text()).isEqualTo("partial");
    }

    @Test
    void nonZeroExitIsReportedWithTheErrorOutput() throws Exception {
        Path script = script("printf 'half an answer'; echo 'model not found' >&2; exit 3");
        Collector reply = new Collector();

        assertThatThrownBy(() -> engine(script, Duration.ofSeconds(10), CommandChatEngine.Input.TRANSCRIPT)
                        .reply(conversation(), reply))
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("model not found");
        assertThat(reply.text()).isEqualTo("half an answer");
    }

    @Test
    void programThatCannotStartSaysWhichAndWhereToFixIt() {
        CommandChatEngine engine = new CommandChatEngine(
                List.of(dir.resolve("missing-cli").toString()),
                Duration.ofSeconds(5),
                CommandChatEngine.Input.TRANSCRIPT);

        assertThatThrownBy(() -> engine.reply(conversation(), new Collector()))
                .hasMessageContaining("could not start " + dir.resolve("missing-cli"))
                .hasMessageContaining("argv in io.heddle.chat.engine.command");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void cancelledReplyStopsTheProgram() throws Exception {
        Path script = script("printf 'started'; sleep 30");
        Collector reply = new Collector();
        Thread canceller = new Thread(() -> {
            Poll.until("the program started", Duration.ofSeconds(15), () -> !reply.chunks.isEmpty());
            reply.cancelled = true;
        });
        canceller.start();

        assertThatThrownBy(() -> engine(script, Duration.ofSeconds(15), CommandChatEngine.Input.TRANSCRIPT)
                        .reply(conversation(), reply))
                .hasMessageContaining("cancelled");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void cancelledReplyEndsTheProgramAndEveryProcessItStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path script = script("sleep 30 & echo $! > '" + pidFile + ".tmp'; mv '" + pidFile + ".tmp' '" + pidFile
                + "'; printf 'started'; wait");
        Collector reply = new Collector();
        Thread canceller = new Thread(() -> {
            Poll.until(
                    "the program started its child",
                    Duration.ofSeconds(15),
                    () -> !reply.chunks.isEmpty() && Files.exists(pidFile));
            reply.cancelled = true;
        });
        canceller.start();

        assertThatThrownBy(() -> engine(script, Duration.ofSeconds(15), CommandChatEngine.Input.TRANSCRIPT)
                        .reply(conversation(), reply))
                .hasMessageContaining("cancelled");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        Poll.until(
                "child " + child + " ended",
                Duration.ofSeconds(10),
                () -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false))
                .as("child %s alive", child)
                .isFalse();
        assertThat(reply.text()).isEqualTo("started");
    }

    @Test
    void argvFromACfgFileIsAJsonList() {
        assertThat(CommandChatEngine.parseArgv(new String[] {"[\"ollama\", \"run\", \"llama3.2\"]"}))
                .containsExactly("ollama", "run", "llama3.2");
        assertThat(CommandChatEngine.parseArgv(new String[] {"/usr/bin/llm", "-m", "x"}))
                .containsExactly("/usr/bin/llm", "-m", "x");
        assertThat(CommandChatEngine.parseArgv(new String[] {"/usr/bin/llm"})).containsExactly("/usr/bin/llm");
        assertThat(CommandChatEngine.parseArgv(new String[0])).isEmpty();
        assertThatThrownBy(() -> CommandChatEngine.parseArgv(new String[] {"[\"a\", 1]"}))
                .hasMessageContaining("list of strings");
        assertThatThrownBy(() -> CommandChatEngine.parseArgv(new String[] {"[\"a\""}))
                .hasMessageContaining("not a valid JSON list");
    }
}
