package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.registry.internal.FileDaemonRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code heddle chat} as a real process: beside a daemon it takes the live record over, the
 * daemon keeps serving and takes the record back after chat exits, with no flip-flopping on the
 * way; the session it writes is the one the HTTP API shows.
 */
public class ChatE2E {

    private static final String NONE = "(none)";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String LISTENING = "Heddle chat server listening at http://";

    private HeddleSandbox sandbox;
    private Thread sampler;
    private final AtomicBoolean sampling = new AtomicBoolean();
    /** The owners of the live record, in order, each change once. */
    private final List<String> owners = new ArrayList<>();

    @Before
    public void sandbox() throws IOException {
        sandbox = new HeddleSandbox("chat");
        Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(sandbox.home().resolve("etc/io.heddle.heartbeat.cfg"), "intervalMs=300\nstaleAfterMs=3000\n");
    }

    @After
    public void killAll() throws InterruptedException {
        sampling.set(false);
        if (sampler != null) {
            sampler.join(5_000);
        }
        sandbox.close();
    }

    @Test
    public void chatTakesTheRecordOverAndTheDaemonTakesItBackWithoutFlipFlopping() throws Exception {
        int daemonPort = Sockets.freePort();
        sandbox.startDaemon("--port", Integer.toString(daemonPort));
        String daemonId = sandbox.liveRecord().orElseThrow().serverId();
        startSampling();

        HeddleRun chat = sandbox.start("chat", "--workspace", sandbox.workspace().toString());
        OutputStream stdin = chat.process().getOutputStream();
        assertThat(chat.awaitLine(l -> l.startsWith("session="), HeddleSandbox.START_DEADLINE)).as(chat.report())
                .isPresent();
        List<String> out = chat.stdout();
        assertThat(out.get(0)).as(chat.report())
                .contains("http://127.0.0.1:" + daemonPort).contains("serverId=" + daemonId);
        assertThat(out.get(1)).startsWith(LISTENING);
        String chatId = chat.value("serverId").orElseThrow();
        assertThat(chatId).startsWith("embedded-chat-" + chat.pid() + "-");
        int chatPort = Integer.parseInt(out.get(1).substring(out.get(1).lastIndexOf(':') + 1));
        assertThat(chatPort).isNotEqualTo(daemonPort);

        // While chat runs: the record names chat, the daemon stands by (owner=false) and keeps serving.
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        assertThat(record.serverId()).isEqualTo(chatId);
        assertThat(record.port()).isEqualTo(chatPort);
        await("the daemon to report owner=false", () -> get(daemonPort, "/api/runtime-host")[1]
                .contains("\"owner\":false"));
        Instant seen = record.lastSeenAt();
        await("a heartbeat of the chat server", () -> sandbox.liveRecord()
                .filter(r -> r.serverId().equals(chatId) && r.lastSeenAt().isAfter(seen)).isPresent());
        assertThat(get(daemonPort, "/api/health")[0]).isEqualTo("200");

        write(stdin, "hello\n");
        assertThat(chat.awaitLine(l -> l.startsWith("[system] No chat engine is configured"), DEADLINE))
                .as(chat.report()).isPresent();
        assertThat(sandbox.liveRecord().orElseThrow().serverId()).isEqualTo(chatId);

        write(stdin, "/exit\n");
        assertThat(chat.awaitExit(HeddleSandbox.EXIT_DEADLINE)).as(chat.report()).isZero();
        assertThat(chat.stdout()).contains("Heddle chat server stopped (serverId=" + chatId + ")");
        assertThat(chat.stderr()).as(chat.report()).isEmpty();
        assertThat(sandbox.liveRecord().map(ServerRecord::serverId)).isNotEqualTo(Optional.of(chatId));
        assertThat(Sockets.accepts(chatPort)).isFalse();

        await("the daemon to take the record back", () -> sandbox.liveRecord()
                .filter(r -> r.serverId().equals(daemonId)).isPresent());
        assertThat(get(daemonPort, "/api/health")[0]).isEqualTo("200");
        await("the daemon to report owner=true", () -> get(daemonPort, "/api/runtime-host")[1]
                .contains("\"owner\":true"));

        List<String> sequence = stopSampling();
        assertThat(sequence).as("owners of the live record, in order")
                .isIn(List.of(daemonId, chatId, daemonId), List.of(daemonId, chatId, NONE, daemonId));
    }

    @Test
    public void theSessionChatWritesIsTheOneTheHttpApiShows() throws Exception {
        Files.writeString(sandbox.home().resolve("etc/io.heddle.chat.engine.command.cfg"),
                "argv=[\"sh\",\"-c\",\"cat >/dev/null; printf 'po'; printf 'ng'\"]\ninput=last-message\n");
        HeddleRun chat = sandbox.start("chat", "--workspace", sandbox.workspace().toString(), "--session", "e2e-1");
        OutputStream stdin = chat.process().getOutputStream();
        assertThat(chat.awaitLine(l -> l.startsWith("session="), HeddleSandbox.START_DEADLINE)).as(chat.report())
                .contains("session=e2e-1");
        String listening = chat.awaitLine(l -> l.startsWith(LISTENING), DEADLINE).orElseThrow();
        int chatPort = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
        String chatId = chat.value("serverId").orElseThrow();
        assertThat(sandbox.liveRecord().orElseThrow().serverId()).isEqualTo(chatId);

        // The engine's configuration arrives through FileInstall, independently of the chat server: until it
        // does, a message gets the no-engine notice. Each try is a new message; the reply of the last is "pong".
        long end = System.nanoTime() + DEADLINE.toNanos();
        boolean answered = false;
        for (int attempt = 0; !answered && System.nanoTime() < end; attempt++) {
            long notices = chat.stdout().stream().filter(l -> l.startsWith("[system]")).count();
            write(stdin, "ping " + attempt + "\n");
            chat.awaitLine(l -> l.equals("pong") || (l.startsWith("[system]")
                    && chat.stdout().stream().filter(x -> x.startsWith("[system]")).count() > notices), DEADLINE);
            answered = chat.stdout().contains("pong");
        }
        assertThat(answered).as(chat.report()).isTrue();

        String[] list = get(chatPort, "/api/chat/sessions");
        assertThat(list[0]).isEqualTo("200");
        assertThat(list[1]).contains("\"id\":\"e2e-1\"").contains("\"holder\":\"heddle-chat-" + chat.pid() + "\"");
        String[] session = get(chatPort, "/api/chat/sessions/e2e-1");
        assertThat(session[0]).isEqualTo("200");
        assertThat(session[1]).contains("\"role\":\"user\"").contains("ping 0")
                .contains("{\"role\":\"assistant\",\"text\":\"pong\"");
        assertThat(sandbox.workspace().resolve(".heddle/chat/sessions/e2e-1.json")).exists();

        stdin.close(); // Ctrl-D
        assertThat(chat.awaitExit(HeddleSandbox.EXIT_DEADLINE)).as(chat.report()).isZero();
        assertThat(chat.stderr()).as(chat.report()).isEmpty();
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(sandbox.cacheFolders()).isEmpty();
        assertThat(Files.exists(sandbox.home().resolve("run/" + chatId + ".token"))).isFalse();
    }

    // --- helpers ---

    private void startSampling() {
        FileDaemonRegistry registry = sandbox.registry();
        sampling.set(true);
        sampler = new Thread(() -> {
            while (sampling.get()) {
                String owner;
                try {
                    owner = registry.read().server().map(ServerRecord::serverId).orElse(NONE);
                } catch (RuntimeException unreadable) {
                    owner = "unreadable: " + unreadable;
                }
                synchronized (owners) {
                    if (owners.isEmpty() || !owners.get(owners.size() - 1).equals(owner)) {
                        owners.add(owner);
                    }
                }
                try {
                    Thread.sleep(10); // sampling period, not a wait for something to happen
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "registry-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private List<String> stopSampling() throws InterruptedException {
        sampling.set(false);
        sampler.join(5_000);
        synchronized (owners) {
            return new ArrayList<>(owners);
        }
    }

    private static void write(OutputStream stdin, String text) throws IOException {
        stdin.write(text.getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static String[] get(int port, String path) throws IOException {
        return Sockets.get("http://127.0.0.1:" + port + path);
    }

    private interface Check {
        boolean test() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!check.test()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
