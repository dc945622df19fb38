package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
        Files.writeString(sandbox.registryFile(), "{\"version\":1,\"server\":{\"serverId\":\"" + serverId + "\","
                + "\"mode\":\"daemon\",\"host\":\"127.0.0.1\",\"port\":9,\"pid\":" + self.pid() + ","
                + "\"processStartedAt\":\"" + self.info().startInstant().orElseThrow() + "\","
                + "\"startedAt\":\"" + lastSeen + "\",\"lastSeenAt\":\"" + lastSeen + "\"},\"workspaces\":[]}",
                StandardCharsets.UTF_8);

        HeddleRun staleStatus = sandbox.run("status");
        assertThat(staleStatus.process().exitValue()).as(staleStatus.report()).isEqualTo(3);
        assertThat(staleStatus.stdout()).contains("freshness=stale");

        Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(sandbox.home().resolve("etc/io.heddle.heartbeat.cfg"),
                "# ten minutes\nstaleAfterMs = 600000\n", StandardCharsets.ISO_8859_1);

        HeddleRun freshStatus = sandbox.run("status");
        assertThat(freshStatus.process().exitValue()).as(freshStatus.report()).isZero();
        assertThat(freshStatus.stdout()).contains("freshness=fresh");

        HeddleRun attach = sandbox.run("daemon", "--workspace", sandbox.workspace().toString());
        assertThat(attach.process().exitValue()).as(attach.report()).isZero();
        assertThat(attach.stdout()).containsExactly(
                "Heddle control-plane server already running at http://127.0.0.1:9", "serverId=" + serverId);
        assertThat(sandbox.cacheFolders()).isEmpty();
    }
}
