package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.MutableClock;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshness: a heartbeat within staleAfter, and the very process that wrote the record still
 * running. Uses real processes: this JVM, ended children, and a zombie.
 */
class ProcessLivenessTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private FileDaemonRegistry registry;

    @BeforeEach
    void openRegistry() {
        // records without processStartedAt also need an answering endpoint: EndpointFreshnessTest covers that
        registry = new FileDaemonRegistry(
                dir.resolve(REGISTRY_FILE),
                clock,
                STALE_AFTER,
                new ProcessLiveness(),
                RegistryTestData.ANSWERING,
                message -> {},
                Duration.ofSeconds(5));
    }

    private static ServerRecord ownProcess(Instant processStartedAt, Instant lastSeenAt) {
        return new ServerRecord(
                "daemon-self",
                ServerMode.DAEMON,
                "127.0.0.1",
                8765,
                ProcessHandle.current().pid(),
                processStartedAt,
                lastSeenAt,
                lastSeenAt);
    }

    private static Instant ownStart() {
        return ProcessLiveness.startInstant(ProcessHandle.current().pid()).orElseThrow();
    }

    @Test
    void heartbeatExactlyStaleAfterOldIsStillFresh() {
        clock.advance(STALE_AFTER);

        LiveServer judged = registry.judge(server("daemon-a", 0, T0));

        assertThat(judged.fresh()).isTrue();
        assertThat(judged.age()).isEqualTo(STALE_AFTER);
    }

    @Test
    void heartbeatOlderThanStaleAfterIsStale() {
        clock.advance(STALE_AFTER.plusMillis(1));

        LiveServer judged = registry.judge(server("daemon-a", 0, T0));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason()).contains("no heartbeat for 45001 ms");
    }

    @Test
    void resolveLiveServerJudgesTheStoredRecordAtTheClocksTime() {
        registry.claim(server("daemon-a", 0, T0));
        assertThat(registry.resolveLiveServer())
                .get()
                .extracting(LiveServer::fresh)
                .isEqualTo(true);

        clock.advance(Duration.ofMinutes(5));

        assertThat(registry.resolveLiveServer())
                .get()
                .extracting(LiveServer::stale)
                .isEqualTo(true);
    }

    @Test
    void pidZeroMeansUnknownAndCountsAsAlive() {
        assertThat(registry.judge(server("daemon-a", 0, T0)).fresh()).isTrue();
    }

    @Test
    void runningProcessWithItsRecordedStartIsFresh() {
        assertThat(registry.judge(ownProcess(ownStart(), T0)).fresh()).isTrue();
        assertThat(registry.judge(ownProcess(null, T0)).fresh()).isTrue();
    }

    @Test
    void reusedPidIsStale() {
        // the pid is alive, but it is not the process that wrote the record
        LiveServer judged = registry.judge(ownProcess(ownStart().minus(Duration.ofMinutes(3)), T0));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason()).contains("now belongs to another process");
    }

    @Test
    void deadPidIsStale() throws InterruptedException {
        long pid = RegistryTestData.pidOfAnEndedProcess();

        LiveServer judged = registry.judge(server("daemon-a", pid, T0));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason()).isEqualTo("process " + pid + " is not running");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void zombieProcessIsStale() {
        // Java reaps its own children, so make a grandchild whose parent never reaps: the outer sh
        // execs into sleep. The grandchild exits only once that exec is done (the shell itself might
        // reap a child that exited earlier), and then stays a zombie until the sleep is killed.
        ChildProcesses.Child parent = children.start(
                new ProcessBuilder(
                        "sh",
                        "-c",
                        "sh -c 'until [ \"$(cat /proc/$1/comm)\" = sleep ]; do :; done' grandchild $$ & echo $!; exec sleep 60"));
        long zombie = Long.parseLong(parent.readLine(Duration.ofSeconds(10)).trim());
        Poll.until("process " + zombie + " is a zombie", Duration.ofSeconds(10), () -> isZombie(zombie));

        LiveServer judged = registry.judge(server("daemon-a", zombie, T0));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason()).isEqualTo("process " + zombie + " has exited (zombie)");
        assertThat(ProcessLiveness.aliveByProc(zombie, null)).isFalse();
    }

    // --- the /proc reading that spares the launcher's attach path ProcessHandle ---

    @Test
    @EnabledOnOs(OS.LINUX)
    void procVouchesForThisProcessAtTheStartProcessHandleReports() {
        long self = ProcessHandle.current().pid();

        // exactly the JDK's figure: the same boot time, ticks and rounding
        assertThat(ProcessLiveness.startByProc(self)).isEqualTo(ownStart());
        assertThat(ProcessLiveness.aliveByProc(self, ownStart())).isTrue();
        assertThat(ProcessLiveness.aliveByProc(self, null)).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void procLeavesAStartOutsideTheToleranceToProcessHandle() {
        long self = ProcessHandle.current().pid();

        assertThat(ProcessLiveness.aliveByProc(self, ownStart().minus(Duration.ofMinutes(3))))
                .isFalse();
        assertThat(ProcessLiveness.aliveByProc(self, ownStart().plusSeconds(2))).isFalse();
    }

    @Test
    void procNeverVouchesForAnEndedProcess() throws InterruptedException {
        long pid = RegistryTestData.pidOfAnEndedProcess();

        assertThat(ProcessLiveness.aliveByProc(pid, null)).isFalse();
        assertThat(ProcessLiveness.aliveByProc(pid, T0)).isFalse();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void bootTimeIsReadFromProcStat() {
        long boot = ProcessLiveness.bootTimeSeconds();

        assertThat(Instant.ofEpochSecond(boot)).isBefore(ownStart().plusSeconds(1));
        assertThat(boot).isGreaterThan(Instant.parse("2000-01-01T00:00:00Z").getEpochSecond());
    }

    @Test
    void statFieldsAreCountedAfterTheCommandName() {
        String stat = "4242 (a b) c) S 1 4242 4242 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 123456 999";
        int state = stat.lastIndexOf(')') + 2;

        assertThat(ProcessLiveness.field(stat, state, 0)).isEqualTo(-1); // "S" is no number
        assertThat(ProcessLiveness.field(stat, state, 1)).isEqualTo(1);
        assertThat(ProcessLiveness.field(stat, state, 19)).isEqualTo(123456);
        assertThat(ProcessLiveness.field(stat, state, 20)).isEqualTo(999);
        assertThat(ProcessLiveness.field(stat, state, 21)).isEqualTo(-1);
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
