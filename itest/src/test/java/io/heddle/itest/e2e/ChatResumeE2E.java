package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * A terminal chat that ends never keeps others out of its session: left with {@code /exit},
 * Ctrl-C or killed with SIGKILL, it is continued at once with {@code --session}, which shows
 * the earlier messages and is not refused; with a daemon running (chat attaches) and without
 * (chat embeds a server).
 */
public class ChatResumeE2E {

    private HeddleSandbox sandbox;

    @Before
    public void sandbox() throws IOException {
        sandbox = new HeddleSandbox("chat-resume");
        TerminalChat.installEchoEngine(sandbox);
    }

    @After
    public void killAll() {
        sandbox.close();
    }

    @Test
    public void withoutADaemonAChatLeftWithExitCtrlCOrSigkillIsContinuedAtOnceWithItsHistory() throws Exception {
        TerminalChat first = TerminalChat.start(sandbox, "--session", "solo");
        assertThat(first.lines().get(0)).as(first.run().report()).startsWith("No Heddle server was running");
        String one = first.sendUntilAnswered("one");
        assertThat(first.exit()).as(first.run().report()).isZero();

        TerminalChat second = TerminalChat.start(sandbox, "--session", "solo");
        assertResumedWith(second, one);
        String two = second.sendUntilAnswered("two");
        second.interrupt(); // Ctrl-C at the prompt
        assertThat(second.run().awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(second.run().report())
                .isZero();

        TerminalChat third = TerminalChat.start(sandbox, "--session", "solo");
        assertResumedWith(third, two);
        String three = third.sendUntilAnswered("three");
        third.killClient();

        TerminalChat fourth = TerminalChat.start(sandbox, "--session", "solo", "--history", "2");
        assertResumedWith(fourth, three);
        List<String> shown = shownHistory(fourth);
        assertThat(shown)
                .as("--history 2 shows the last two messages")
                .hasSize(3)
                .anyMatch(l -> l.contains("earlier messages not shown"));
        fourth.sendUntilAnswered("four");
        fourth.type("/history");
        assertThat(fourth.awaitAfter(fourth.lines().size() - 1, TerminalChat.ECHO + one))
                .as(fourth.run().report())
                .isPresent();
        assertThat(fourth.exit()).isZero();
    }

    @Test
    public void withADaemonAnAttachedChatLeftWithExitOrSigkillIsContinuedAtOnceWithItsHistory() throws Exception {
        sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));

        TerminalChat first = TerminalChat.start(sandbox, "--session", "shared");
        assertThat(first.lines().get(0)).as(first.run().report()).startsWith("Attached to the Heddle daemon server");
        String one = first.sendUntilAnswered("one");
        assertThat(first.exit()).as(first.run().report()).isZero();

        TerminalChat second = TerminalChat.start(sandbox, "--session", "shared");
        assertResumedWith(second, one);
        String two = second.sendUntilAnswered("two");
        second.killClient();

        TerminalChat third = TerminalChat.start(sandbox, "--session", "shared");
        assertResumedWith(third, two);
        third.sendUntilAnswered("three");
        third.type("/help");
        assertThat(third.awaitAfter(0, "/history  prints the whole conversation"))
                .as(third.run().report())
                .isPresent();
        assertThat(third.exit()).isZero();
    }

    /** The chat continued the session, printed its earlier messages before the prompt, and refused nothing. */
    private static void assertResumedWith(TerminalChat chat, String lastAnswered) {
        assertThat(chat.lines()).as(chat.run().report()).anyMatch(l -> l.startsWith("Continuing chat session"));
        assertThat(shownHistory(chat))
                .as(chat.run().report())
                .anyMatch(l -> l.contains("> " + lastAnswered))
                .anyMatch(l -> l.contains(TerminalChat.ECHO + lastAnswered));
        assertThat(chat.lines()).as(chat.run().report()).noneMatch(l -> l.contains("being written by"));
    }

    /** The lines between "Continuing chat session" and the "Type a message" hint. */
    private static List<String> shownHistory(TerminalChat chat) {
        List<String> lines = chat.lines();
        int from = -1;
        int to = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (from < 0 && lines.get(i).startsWith("Continuing chat session")) {
                from = i + 1;
            }
            if (from >= 0 && to < 0 && lines.get(i).startsWith("Type a message")) {
                to = i;
            }
        }
        assertThat(from).as(chat.run().report()).isPositive();
        assertThat(to).as(chat.run().report()).isGreaterThanOrEqualTo(from);
        return lines.subList(from, to);
    }
}
