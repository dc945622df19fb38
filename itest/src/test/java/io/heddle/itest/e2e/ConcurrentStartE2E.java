package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;

/**
 * Simultaneous {@code heddle daemon}: exactly one serves and holds the record; the others print
 * the attach lines and exit 0, whether they lost the bind (one port) or the claim (any port).
 */
public class ConcurrentStartE2E {

    private static final int ROUNDS = 10;
    private static final int STARTS = 4;

    @Rule
    public final HeddleSandboxes sandboxes = new HeddleSandboxes();

    @Test
    public void exactlyOneOfFourSimultaneousStartsServes() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            HeddleSandbox sandbox = sandboxes.create("concurrent-" + round);
            int port = Sockets.freePort();
            String[] args = {"daemon", "--workspace", sandbox.workspace().toString(), "--port", Integer.toString(port)};

            List<HeddleRun> runs = new ArrayList<>();
            for (int i = 0; i < STARTS; i++) {
                runs.add(sandbox.start(args));
            }

            HeddleRun winner = null;
            List<HeddleRun> losers = new ArrayList<>();
            for (HeddleRun run : runs) {
                Optional<String> first = run.awaitLine(
                        l -> l.startsWith("Heddle server listening") || l.startsWith(HeddleRun.ATTACH_PREFIX),
                        HeddleSandbox.START_DEADLINE);
                assertThat(first).as("round %d: %s", round, run.report()).isPresent();
                if (first.get().startsWith("Heddle server listening")) {
                    assertThat(winner)
                            .as("round %d: a second server started: %s", round, run.report())
                            .isNull();
                    winner = run;
                } else {
                    losers.add(run);
                }
            }
            assertThat(winner).as("round %d: no server started", round).isNotNull();
            String serverId =
                    winner.awaitStartLines(HeddleSandbox.START_DEADLINE).get(1).substring("serverId=".length());

            for (HeddleRun loser : losers) {
                assertThat(loser.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                        .as("round %d: %s", round, loser.report())
                        .isZero();
                assertThat(loser.stdout())
                        .as("round %d: %s", round, loser.report())
                        .containsExactly(
                                "Heddle control-plane server already running at http://127.0.0.1:" + port,
                                "serverId=" + serverId);
                assertThat(loser.stderr())
                        .as("round %d: %s", round, loser.report())
                        .isEmpty();
            }
            ServerRecord record = sandbox.liveRecord().orElseThrow();
            assertThat(record.serverId()).isEqualTo(serverId);
            assertThat(record.pid()).isEqualTo(winner.pid());
            assertThat(record.port()).isEqualTo(port);
            assertThat(Sockets.listeners(port))
                    .as("round %d: listeners on %d", round, port)
                    .isEqualTo(1);
            assertThat(sandbox.cacheFolders()).as("round %d", round).containsExactly(serverId);

            winner.sigterm();
            assertThat(winner.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                    .as(winner.report())
                    .isZero();
        }
    }

    /**
     * Simultaneous starts on different ports (port 0) all bind: the losers lose the claim,
     * undo their start, and attach to the winner.
     */
    @Test
    public void simultaneousStartsOnDifferentPortsResolveThroughTheClaim() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("concurrent-claim");
        String[] args = {"daemon", "--workspace", sandbox.workspace().toString(), "--port", "0"};
        List<HeddleRun> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(sandbox.start(args));
        }
        HeddleRun winner = null;
        for (HeddleRun run : runs) {
            Optional<String> first = run.awaitLine(
                    l -> l.startsWith("Heddle server listening") || l.startsWith(HeddleRun.ATTACH_PREFIX),
                    HeddleSandbox.START_DEADLINE);
            assertThat(first).as(run.report()).isPresent();
            if (first.get().startsWith("Heddle server listening")) {
                assertThat(winner)
                        .as("a second server started: %s", run.report())
                        .isNull();
                winner = run;
            }
        }
        assertThat(winner).as("no server started").isNotNull();
        List<String> lines = winner.awaitStartLines(HeddleSandbox.START_DEADLINE);
        String endpoint = lines.get(0).substring("Heddle server listening at ".length());
        String serverId = lines.get(1).substring("serverId=".length());
        for (HeddleRun run : runs) {
            if (run != winner) {
                assertThat(run.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                        .as(run.report())
                        .isZero();
                assertThat(run.stdout())
                        .as(run.report())
                        .containsExactly(
                                "Heddle control-plane server already running at " + endpoint, "serverId=" + serverId);
                assertThat(run.stderr()).as(run.report()).isEmpty();
            }
        }
        assertThat(sandbox.liveRecord().orElseThrow().pid()).isEqualTo(winner.pid());
        assertThat(sandbox.cacheFolders()).containsExactly(serverId);
    }
}
