package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.After;
import org.junit.Test;

/**
 * A daemon killed with {@code kill -9} leaves its record behind; the next {@code heddle daemon}
 * must start at once (not after the 45 s staleness window), also while the killed process is
 * still an unreaped zombie.
 */
public class CrashRecoveryE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("crash");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    @Test
    public void killedDaemonIsReplacedAtOnce() throws Exception {
        int port = Sockets.freePort();
        HeddleRun first = sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord killed = sandbox.liveRecord().orElseThrow();

        first.process().destroyForcibly(); // SIGKILL; this JVM reaps it
        first.process().waitFor();
        assertThat(sandbox.liveRecord()).contains(killed);

        HeddleRun second = sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord now = sandbox.liveRecord().orElseThrow();
        assertThat(now.pid()).isEqualTo(second.pid());
        assertThat(now.serverId()).isNotEqualTo(killed.serverId());
        assertThat(second.stdout()).first().isEqualTo("Heddle server listening at http://127.0.0.1:" + port);
        // the killed run's leftovers were removed by the new start
        assertThat(sandbox.cacheFolders()).containsExactly(now.serverId());
    }

    @Test
    public void zombieDaemonIsReplacedAtOnce() throws Exception {
        int port = Sockets.freePort();
        // The daemon's parent is `sleep`, which never reaps children: once killed, it stays a zombie.
        String script = "\"$0\" daemon --workspace \"$1\" --port \"$2\" & echo \"pid=$!\"; exec sleep 600";
        HeddleRun parent = sandbox.startRaw(List.of(
                "sh",
                "-c",
                script,
                HeddleSandbox.executable().toString(),
                sandbox.workspace().toString(),
                Integer.toString(port)));
        parent.awaitStartLines(HeddleSandbox.START_DEADLINE);
        long daemonPid = Long.parseLong(parent.value("pid").orElseThrow());
        ServerRecord killed = sandbox.liveRecord().orElseThrow();
        assertThat(killed.pid()).isEqualTo(daemonPid);

        ProcessHandle.of(daemonPid).orElseThrow().destroyForcibly();
        Poll.until(
                "process " + daemonPid + " is a zombie (state Z)",
                Duration.ofSeconds(20),
                () -> procState(daemonPid).equals(Optional.of('Z')));
        assertThat(sandbox.liveRecord()).contains(killed);

        HeddleRun second = sandbox.startDaemon("--port", Integer.toString(port));
        assertThat(procState(daemonPid))
                .as("still a zombie while the new daemon started")
                .contains('Z');
        ServerRecord now = sandbox.liveRecord().orElseThrow();
        assertThat(now.pid()).isEqualTo(second.pid());
        assertThat(now.serverId()).isNotEqualTo(killed.serverId());
        assertThat(Sockets.listeners(port)).isEqualTo(1);
    }

    private static Optional<Character> procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int close = stat.lastIndexOf(')');
            return Optional.of(stat.charAt(close + 2));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }
}
