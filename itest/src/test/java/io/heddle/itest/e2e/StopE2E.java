package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.After;
import org.junit.Test;

/** {@code heddle stop}, SIGTERM, and the commands with nothing running. */
public class StopE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("stop");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    @Test
    public void stopStopsTheServerThenStatusAndStopFindNothing() throws Exception {
        int port = Sockets.freePort();
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord record = sandbox.liveRecord().orElseThrow();

        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        assertThat(stop.stdout()).containsExactly("Heddle server stopped (serverId=" + record.serverId() + ")");

        // stop waited for all of it: the process is gone, the record is gone, the port is closed
        assertThat(daemon.process().isAlive()).isFalse();
        assertThat(daemon.process().exitValue()).isZero();
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(Sockets.accepts(port)).isFalse();
        assertThat(sandbox.cacheFolders()).isEmpty();
        assertThat(Files.list(sandbox.home().resolve("run"))
                        .filter(p -> p.toString().endsWith(".token")))
                .isEmpty();
        assertThat(daemon.stdout()).last().isEqualTo("Heddle server stopped (serverId=" + record.serverId() + ")");
        assertThat(daemon.stderr()).isEmpty();

        HeddleRun status = sandbox.run("status");
        assertThat(status.process().exitValue()).as(status.report()).isEqualTo(3);
        assertThat(status.stdout()).first().isEqualTo("No Heddle server is running. Start one with: heddle daemon");
        assertThat(status.stdout()).contains("workspaces=1");

        HeddleRun json = sandbox.run("status", "--json");
        assertThat(json.process().exitValue()).as(json.report()).isEqualTo(3);
        assertThat(json.stdout()).hasSize(1);
        assertThat(json.stdout().get(0)).contains("\"running\":false").contains("\"server\":null");

        HeddleRun again = sandbox.run("stop");
        assertThat(again.process().exitValue()).as(again.report()).isEqualTo(3);
        assertThat(again.stdout()).containsExactly("No Heddle server is running; nothing to stop.");
    }

    @Test
    public void sigtermClosesCleanlyAndExitsZeroAndNonLoopbackWarns() throws Exception {
        HeddleRun daemon = sandbox.startDaemon("--host", "0.0.0.0", "--port", "0");
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        assertThat(daemon.stdout().get(0)).startsWith("Heddle server listening at http://0.0.0.0:");
        assertThat(daemon.awaitStderrLine(l -> l.contains("not a loopback address")))
                .as(daemon.report())
                .hasValueSatisfying(l -> assertThat(l).startsWith("heddle: warning: listening on 0.0.0.0"));

        daemon.sigterm();
        assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(daemon.report())
                .isZero();
        assertThat(daemon.stdout()).last().isEqualTo("Heddle server stopped (serverId=" + record.serverId() + ")");
        assertThat(daemon.stderr()).hasSize(1);
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(Sockets.accepts(record.port())).isFalse();
        assertThat(sandbox.cacheFolders()).isEmpty();
    }

    @Test
    public void statusReportsAStaleRecordAsStaleWithExitThree() throws Exception {
        long deadPid = deadPid();
        String registry = "{\"version\":1,\"server\":{\"serverId\":\"daemon-" + deadPid + "-1\",\"mode\":\"daemon\","
                + "\"host\":\"127.0.0.1\",\"port\":9,\"pid\":" + deadPid
                + ",\"startedAt\":\"2026-01-01T00:00:00.000Z\","
                + "\"lastSeenAt\":\"2026-01-01T00:00:00.000Z\"},\"workspaces\":[]}";
        Files.writeString(sandbox.registryFile(), registry, StandardCharsets.UTF_8);

        HeddleRun status = sandbox.run("status");
        assertThat(status.process().exitValue()).as(status.report()).isEqualTo(3);
        assertThat(status.stdout().get(0))
                .startsWith("No Heddle server is running: the last record")
                .contains("is stale");
        assertThat(status.stdout()).contains("freshness=stale", "serverId=daemon-" + deadPid + "-1");

        HeddleRun json = sandbox.run("status", "--json");
        assertThat(json.process().exitValue()).isEqualTo(3);
        assertThat(json.stdout().get(0))
                .contains("\"running\":false")
                .contains("\"stale\":true")
                .contains("\"fresh\":false");

        HeddleRun stop = sandbox.run("stop", "--timeout", "1");
        assertThat(stop.process().exitValue()).as(stop.report()).isEqualTo(3);
    }

    private static long deadPid() {
        for (long pid = 4_000_000; pid > 3_000_000; pid--) {
            if (ProcessHandle.of(pid).isEmpty()) {
                return pid;
            }
        }
        throw new IllegalStateException("no unused pid found");
    }
}
