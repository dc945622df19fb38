package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * One live server per {@code HEDDLE_HOME}, at every moment, whatever a terminal chat does: a
 * chat beside a daemon attaches to it (and registers its own folder as a workspace), so after
 * the chat ends, by {@code /exit} or SIGKILL, {@code heddle status} names the daemon on every
 * poll and {@code heddle daemon --port OTHER} attaches; a daemon started beside an embedded chat
 * starts, owns the record, and the chat still answers; when that daemon stops, the record goes
 * back to the chat at once.
 */
public class OneLiveServerE2E {

    private static final Duration WATCH = Duration.ofSeconds(5);

    private HeddleSandbox sandbox;

    @Before
    public void sandbox() throws IOException {
        sandbox = new HeddleSandbox("one-live-server");
        TerminalChat.installEchoEngine(sandbox);
    }

    @After
    public void killAll() {
        sandbox.close();
    }

    @Test
    public void aChatBesideADaemonAttachesAndAfterItEndsTheDaemonIsStillTheOneLiveServer() throws Exception {
        int daemonPort = Sockets.freePort();
        sandbox.startDaemon("--port", Integer.toString(daemonPort));
        String daemonId = sandbox.liveRecord().orElseThrow().serverId();
        Path otherFolder = Files.createDirectories(sandbox.home().resolve("other-project"));

        TerminalChat chat = TerminalChat.start(sandbox, "--workspace", otherFolder.toString(), "--session", "side");
        assertThat(chat.lines().get(0))
                .as(chat.run().report())
                .isEqualTo("Attached to the Heddle daemon server at http://127.0.0.1:" + daemonPort + " (serverId="
                        + daemonId + "); no server of its own was started.");
        assertThat(chat.lines().get(1)).as(chat.run().report()).startsWith("workspace=other-project (" + otherFolder);
        chat.sendUntilAnswered("hello");
        assertThat(otherFolder.resolve(".heddle/chat/sessions/side.json")).exists();
        assertThat(sandbox.liveRecord().map(ServerRecord::serverId)).contains(daemonId);
        assertThat(chat.exit()).as(chat.run().report()).isZero();

        assertStatusNamesOnEveryPoll(daemonId);
        assertASecondDaemonAttaches(daemonId);

        TerminalChat killed = TerminalChat.start(sandbox, "--session", "side-2");
        killed.sendUntilAnswered("hello");
        killed.killClient();

        assertStatusNamesOnEveryPoll(daemonId);
        assertASecondDaemonAttaches(daemonId);
        assertThat(sandbox.cacheFolders()).as("one bundle cache: the daemon's").hasSize(1);
    }

    @Test
    public void aDaemonStartedBesideAnEmbeddedChatOwnsTheRecordAndTheChatStillAnswers() throws Exception {
        TerminalChat chat = TerminalChat.start(sandbox, "--session", "embedded");
        String chatId = chat.value("serverId").orElseThrow();
        assertThat(chatId).startsWith("embedded-chat-");
        assertThat(sandbox.liveRecord().map(ServerRecord::serverId)).contains(chatId);
        chat.sendUntilAnswered("before");

        int daemonPort = Sockets.freePort();
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(daemonPort));
        String daemonId = daemon.value("serverId").orElseThrow();
        assertThat(daemonId).startsWith("daemon-");
        assertThat(daemon.stdout()).as(daemon.report()).noneMatch(l -> l.startsWith(HeddleRun.ATTACH_PREFIX));
        assertThat(sandbox.liveRecord().map(ServerRecord::serverId)).contains(daemonId);
        assertStatusNamesOnEveryPoll(daemonId);

        chat.sendUntilAnswered("after");

        // The daemon stops: the record goes back to the chat that still serves, at once.
        daemon.sigterm();
        assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(daemon.report())
                .isZero();
        assertThat(sandbox.liveRecord().map(ServerRecord::serverId)).contains(chatId);
        HeddleRun status = sandbox.run("status");
        assertThat(status.process().exitValue()).as(status.report()).isZero();
        assertThat(status.stdout()).contains("serverId=" + chatId, "freshness=fresh");
        chat.sendUntilAnswered("again");

        assertThat(chat.exit()).as(chat.run().report()).isZero();
        assertThat(sandbox.liveRecord()).isEmpty();
    }

    /** {@code heddle status} names the server, fresh, on every poll for {@link #WATCH} (a loop with a deadline). */
    private void assertStatusNamesOnEveryPoll(String serverId) throws Exception {
        List<String> polls = new ArrayList<>();
        long end = System.nanoTime() + WATCH.toNanos();
        while (System.nanoTime() < end) {
            HeddleRun status = sandbox.run("status");
            polls.add(status.process().exitValue() + " "
                    + status.value("serverId").orElse("(none)") + " "
                    + status.value("freshness").orElse("(none)"));
        }
        assertThat(polls)
                .as("heddle status, poll by poll")
                .isNotEmpty()
                .allMatch(p -> p.equals("0 " + serverId + " fresh"));
    }

    /** {@code heddle daemon --port OTHER} attaches to the live daemon instead of starting a second one. */
    private void assertASecondDaemonAttaches(String daemonId) throws Exception {
        HeddleRun second = sandbox.run(
                "daemon",
                "--workspace",
                sandbox.workspace().toString(),
                "--port",
                Integer.toString(Sockets.freePort()));
        assertThat(second.process().exitValue()).as(second.report()).isZero();
        assertThat(second.stdout()).as(second.report()).hasSize(2);
        assertThat(second.stdout().get(0)).startsWith(HeddleRun.ATTACH_PREFIX);
        assertThat(second.stdout().get(1)).isEqualTo("serverId=" + daemonId);
    }
}
