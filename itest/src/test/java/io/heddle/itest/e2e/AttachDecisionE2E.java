package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.After;
import org.junit.Test;

/**
 * The pre-boot freshness check uses the servers' {@code staleAfterMs}, including an override in
 * {@code $HEDDLE_HOME/etc/io.heddle.heartbeat.cfg}. The record here names a live process (this
 * test's JVM) whose last heartbeat is two minutes old: stale by default, fresh with a 10-minute
 * override.
 */
public class AttachDecisionE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("attach-decision");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    @Test
    public void heartbeatOverrideDecidesWhetherTheRecordIsFresh() throws Exception {
        ProcessHandle self = ProcessHandle.current();
        Instant lastSeen = Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        String serverId = "daemon-" + self.pid() + "-1";
        Files.writeString(
                sandbox.registryFile(),
                "{\"version\":1,\"server\":{\"serverId\":\"" + serverId + "\","
                        + "\"mode\":\"daemon\",\"host\":\"127.0.0.1\",\"port\":9,\"pid\":" + self.pid() + ","
                        + "\"processStartedAt\":\"" + self.info().startInstant().orElseThrow() + "\","
                        + "\"startedAt\":\"" + lastSeen + "\",\"lastSeenAt\":\"" + lastSeen + "\"},\"workspaces\":[]}",
                StandardCharsets.UTF_8);

        HeddleRun staleStatus = sandbox.run("status");
        assertThat(staleStatus.process().exitValue()).as(staleStatus.report()).isEqualTo(3);
        assertThat(staleStatus.stdout()).contains("freshness=stale");

        Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(
                sandbox.home().resolve("etc/io.heddle.heartbeat.cfg"),
                "# ten minutes\nstaleAfterMs = 600000\n",
                StandardCharsets.ISO_8859_1);

        HeddleRun freshStatus = sandbox.run("status");
        assertThat(freshStatus.process().exitValue()).as(freshStatus.report()).isZero();
        assertThat(freshStatus.stdout()).contains("freshness=fresh");

        HeddleRun attach =
                sandbox.run("daemon", "--workspace", sandbox.workspace().toString());
        assertThat(attach.process().exitValue()).as(attach.report()).isZero();
        assertThat(attach.stdout())
                .containsExactly(
                        "Heddle control-plane server already running at http://127.0.0.1:9", "serverId=" + serverId);
        assertThat(sandbox.cacheFolders()).isEmpty();
    }

    /**
     * A record in the reference's format (no processStartedAt) with a fresh heartbeat, naming a
     * live process that is no Heddle server (a sleep child of this test) on a port where nothing
     * listens: status says nothing runs, and daemon starts a server of its own (the lifecycle's
     * claim agrees) instead of attaching to nothing.
     */
    @Test
    public void referenceRecordOfALiveUnrelatedPidWithNothingListeningLeadsToAFreshStart() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "600").start();
        sandbox.killOnClose(sleeper.toHandle());
        int silentPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            silentPort = probe.getLocalPort();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String serverId = "daemon-" + sleeper.pid() + "-" + now.toEpochMilli();
        Files.writeString(
                sandbox.registryFile(),
                "{\"version\":1,\"updatedAt\":\"" + now + "\",\"server\":{"
                        + "\"serverId\":\"" + serverId + "\",\"mode\":\"daemon\",\"host\":\"127.0.0.1\","
                        + "\"port\":" + silentPort + ",\"pid\":" + sleeper.pid() + ","
                        + "\"startedAt\":\"" + now + "\",\"lastSeenAt\":\"" + now + "\"},\"workspaces\":[]}",
                StandardCharsets.UTF_8);

        HeddleRun status = sandbox.run("status");
        assertThat(status.process().exitValue()).as(status.report()).isEqualTo(3);
        assertThat(status.stdout()).as(status.report()).contains("freshness=stale");
        assertThat(status.stdout().get(0))
                .as(status.report())
                .contains("has no processStartedAt")
                .contains("nothing listens on 127.0.0.1:" + silentPort);

        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isEqualTo(3);
        assertThat(stop.stdout().get(0)).as(stop.report()).startsWith("No Heddle server is running; nothing to stop");
        assertThat(sleeper.isAlive()).isTrue();

        HeddleRun daemon = sandbox.startDaemon("--port", "0");
        assertThat(daemon.stdout().get(0)).as(daemon.report()).startsWith("Heddle server listening at ");
        assertThat(sandbox.liveRecord())
                .as(daemon.report())
                .hasValueSatisfying(r -> assertThat(r.pid()).isEqualTo(daemon.pid()));
        assertThat(sleeper.isAlive()).isTrue();

        daemon.sigterm();
        assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(daemon.report())
                .isZero();
    }
}
