package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import java.util.List;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * One daemon, shared by every test here (none of them changes it): the start lines, the
 * health endpoint, attaching, and status with a server running.
 */
public class DaemonE2E {

    private static HeddleSandbox sandbox;
    private static HeddleRun daemon;
    private static List<String> startLines;
    private static int port;

    @BeforeClass
    public static void startDaemon() throws Exception {
        sandbox = new HeddleSandbox("daemon");
        port = Sockets.freePort();
        daemon = sandbox.startDaemon("--port", Integer.toString(port));
        startLines = daemon.awaitStartLines(HeddleSandbox.START_DEADLINE);
    }

    @AfterClass
    public static void stopDaemon() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    public void startPrintsTheFiveLinesAndHealthAnswers() throws Exception {
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        assertThat(startLines)
                .containsExactly(
                        "Heddle server listening at http://127.0.0.1:" + port,
                        "serverId=" + record.serverId(),
                        "workspace=" + sandbox.workspace().toAbsolutePath().normalize(),
                        "state="
                                + sandbox.workspace()
                                        .toAbsolutePath()
                                        .normalize()
                                        .resolve(".heddle"),
                        "registry=" + sandbox.registryFile());
        assertThat(record.serverId()).startsWith("daemon-" + daemon.pid() + "-");
        assertThat(record.pid()).isEqualTo(daemon.pid());
        assertThat(daemon.stderr()).isEmpty();

        String[] health = Sockets.get("http://127.0.0.1:" + port + "/api/health");
        assertThat(health[0]).isEqualTo("200");
        assertThat(health[1]).contains("\"status\":\"ok\"").contains("\"serverId\":\"" + record.serverId() + "\"");
        assertThat(sandbox.cacheFolders()).containsExactly(record.serverId());
        assertThat(sandbox.workspace().resolve(".heddle/logs/server.log")).exists();
    }

    @Test
    public void secondDaemonAttachesWithoutASecondListener() throws Exception {
        ServerRecord before = sandbox.liveRecord().orElseThrow();
        List<String> cachesBefore = sandbox.cacheFolders();

        HeddleRun second =
                sandbox.start("daemon", "--workspace", sandbox.workspace().toString());
        assertThat(second.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(second.report())
                .isZero();

        assertThat(second.stdout())
                .containsExactly(
                        "Heddle control-plane server already running at http://127.0.0.1:" + port,
                        "serverId=" + before.serverId());
        assertThat(second.stderr()).isEmpty();
        ServerRecord after = sandbox.liveRecord().orElseThrow();
        assertThat(after.serverId()).isEqualTo(before.serverId());
        assertThat(after.pid()).isEqualTo(daemon.pid());
        // it never booted: no bundle cache of its own, and still one listener on the port
        assertThat(sandbox.cacheFolders()).isEqualTo(cachesBefore);
        assertThat(Sockets.listeners(port)).isEqualTo(1);
        assertThat(daemon.process().isAlive()).isTrue();
    }

    @Test
    public void secondDaemonOnAnotherPortAttachesToo() throws Exception {
        HeddleRun second = sandbox.run("daemon", "--port", Integer.toString(Sockets.freePort()), "--no-assets");
        assertThat(second.process().exitValue()).as(second.report()).isZero();
        assertThat(second.stdout())
                .first()
                .isEqualTo("Heddle control-plane server already running at http://127.0.0.1:" + port);
    }

    @Test
    public void statusTextWithAServerRunning() throws Exception {
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        HeddleRun status = sandbox.run("status");
        assertThat(status.process().exitValue()).as(status.report()).isZero();
        assertThat(status.stdout())
                .contains(
                        "Heddle control-plane server running at http://127.0.0.1:" + port,
                        "serverId=" + record.serverId(),
                        "mode=daemon",
                        "pid=" + daemon.pid(),
                        "freshness=fresh",
                        "registry=" + sandbox.registryFile(),
                        "workspaces=1");
        assertThat(status.value("ageMs"))
                .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isNotNegative());
        assertThat(status.stdout())
                .anySatisfy(l -> assertThat(l)
                        .contains(
                                sandbox.workspace().toAbsolutePath().normalize().toString()));
    }

    @Test
    public void statusJsonWithAServerRunning() throws Exception {
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        HeddleRun status = sandbox.run("status", "--json");
        assertThat(status.process().exitValue()).as(status.report()).isZero();
        assertThat(status.stdout()).hasSize(1);
        String json = status.stdout().get(0);
        assertThat(json)
                .startsWith("{")
                .endsWith("}")
                .contains("\"running\":true")
                .contains("\"endpoint\":\"http://127.0.0.1:" + port + "\"")
                .contains("\"serverId\":\"" + record.serverId() + "\"")
                .contains("\"mode\":\"daemon\"")
                .contains("\"pid\":" + daemon.pid())
                .contains("\"fresh\":true")
                .contains("\"stale\":false")
                .contains("\"workspaceRoot\":\""
                        + sandbox.workspace().toAbsolutePath().normalize() + "\"");
        assertThat(json).containsPattern("\"ageMs\":\\d+");
    }
}
