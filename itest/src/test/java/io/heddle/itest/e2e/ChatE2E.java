package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code heddle chat} as a real process with no server running: it embeds one, and the session
 * it writes is the one the HTTP API shows. (Chat beside a daemon, and a daemon beside a chat:
 * {@link OneLiveServerE2E}; resuming a session: {@link ChatResumeE2E}.)
 */
public class ChatE2E {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String LISTENING = "No Heddle server was running: started an embedded-chat server at http://";

    private HeddleSandbox sandbox;

    @Before
    public void sandbox() throws IOException {
        sandbox = new HeddleSandbox("chat");
        Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(sandbox.home().resolve("etc/io.heddle.heartbeat.cfg"), "intervalMs=300\nstaleAfterMs=3000\n");
    }

    @After
    public void killAll() {
        sandbox.close();
    }

    @Test
    public void theSessionChatWritesIsTheOneTheHttpApiShows() throws Exception {
        Files.writeString(
                sandbox.home().resolve("etc/io.heddle.chat.engine.command.cfg"),
                "argv=[\"sh\",\"-c\",\"cat >/dev/null; printf 'po'; printf 'ng'\"]\ninput=last-message\n");
        HeddleRun chat =
                sandbox.start("chat", "--workspace", sandbox.workspace().toString(), "--session", "e2e-1");
        OutputStream stdin = chat.process().getOutputStream();
        assertThat(chat.awaitLine(l -> l.startsWith("session="), HeddleSandbox.START_DEADLINE))
                .as(chat.report())
                .contains("session=e2e-1");
        String listening =
                chat.awaitLine(l -> l.startsWith(LISTENING), DEADLINE).orElseThrow();
        int chatPort = Integer.parseInt(listening.substring(LISTENING.length()).replaceAll("^[^:]*:(\\d+).*$", "$1"));
        String chatId = chat.value("serverId").orElseThrow();
        assertThat(sandbox.liveRecord().orElseThrow().serverId()).isEqualTo(chatId);

        // The engine's configuration arrives through FileInstall, independently of the chat server: until it
        // does, a message gets the no-engine notice. Each try is a new message; the reply of the last is "pong".
        long end = System.nanoTime() + DEADLINE.toNanos();
        boolean answered = false;
        for (int attempt = 0; !answered && System.nanoTime() < end; attempt++) {
            // each reply follows the prompt "> " on its line
            long notices =
                    chat.stdout().stream().filter(l -> l.contains("[system]")).count();
            write(stdin, "ping " + attempt + "\n");
            chat.awaitLine(
                    l -> l.equals("> pong")
                            || (l.contains("[system]")
                                    && chat.stdout().stream()
                                                    .filter(x -> x.contains("[system]"))
                                                    .count()
                                            > notices),
                    DEADLINE);
            answered = chat.stdout().contains("> pong");
        }
        assertThat(answered).as(chat.report()).isTrue();

        String[] list = get(chatPort, "/api/chat/sessions");
        assertThat(list[0]).isEqualTo("200");
        assertThat(list[1]).contains("\"id\":\"e2e-1\"").contains("\"holder\":\"heddle-chat-" + chat.pid() + "\"");
        String[] session = get(chatPort, "/api/chat/sessions/e2e-1");
        assertThat(session[0]).isEqualTo("200");
        assertThat(session[1])
                .contains("\"role\":\"user\"")
                .contains("ping 0")
                .contains("{\"role\":\"assistant\",\"text\":\"pong\"");
        assertThat(sandbox.workspace().resolve(".heddle/chat/sessions/e2e-1.json"))
                .exists();

        stdin.close(); // Ctrl-D
        assertThat(chat.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(chat.report())
                .isZero();
        assertThat(chat.stderr()).as(chat.report()).isEmpty();
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(sandbox.cacheFolders()).isEmpty();
        assertThat(Files.exists(sandbox.home().resolve("run/" + chatId + ".token")))
                .isFalse();
    }

    // --- helpers ---

    private static void write(OutputStream stdin, String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static String[] get(int port, String path) throws IOException {
        return Sockets.get("http://127.0.0.1:" + port + path);
    }
}
