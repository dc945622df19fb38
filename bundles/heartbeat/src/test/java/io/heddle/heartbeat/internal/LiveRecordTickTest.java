package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.MutableClock;
import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.registry.internal.ProcessLiveness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live-record heartbeat's decision table, on a real registry file and a hand-moved clock. */
class LiveRecordTickTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);
    private static final long OUR_PID = ProcessHandle.current().pid();

    @TempDir
    Path home;

    private MutableClock clock;
    private FileDaemonRegistry registry;
    private LiveRecordTick tick;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.parse("2026-06-02T00:00:00Z"));
        // the records here carry no processStartedAt: they stand for servers whose endpoint answers
        registry = new FileDaemonRegistry(
                home.resolve("daemon-registry.json"),
                clock,
                STALE_AFTER,
                new ProcessLiveness(),
                (host, port) -> java.util.Optional.empty(),
                message -> {},
                Duration.ofSeconds(10));
        tick = new LiveRecordTick(clock);
    }

    private ServerRecord record(String id) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return new ServerRecord(id, ServerMode.DAEMON, "127.0.0.1", 8765, OUR_PID, null, now, now);
    }

    @Test
    void ownRecordIsRefreshed() {
        ServerRecord ours = record("daemon-a");
        registry.claim(ours);
        clock.advance(Duration.ofSeconds(15));

        LiveRecordTick.Result result = tick.run(registry, ours);

        assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.REFRESHED);
        assertThat(registry.read().server().orElseThrow().lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void heartbeatNeverOverwritesNewerOwner() throws Exception {
        ServerRecord older = record("daemon-old");
        registry.claim(older);
        ServerRecord newer = record("chat-new");
        registry.takeOver(newer);
        byte[] before = Files.readAllBytes(registry.path());

        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(15));
            registry.refresh("chat-new", clock.instant()); // the newer server keeps beating
            before = Files.readAllBytes(registry.path());
            LiveRecordTick.Result result = tick.run(registry, older);

            assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.STANDING_BY);
            assertThat(result.owner()).isFalse();
            assertThat(result.currentOwner().orElseThrow().serverId()).isEqualTo("chat-new");
            assertThat(Files.readAllBytes(registry.path()))
                    .as("stand-by writes nothing")
                    .isEqualTo(before);
        }
    }

    @Test
    void emptyRecordIsClaimedAgain() {
        ServerRecord ours = record("daemon-a");

        LiveRecordTick.Result result = tick.run(registry, ours);

        assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.RECLAIMED);
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo("daemon-a");
    }

    @Test
    void staleOtherOwnerIsReplaced() {
        ServerRecord ours = record("daemon-a");
        registry.takeOver(record("chat-gone"));
        clock.advance(STALE_AFTER.plusSeconds(1)); // the other server stopped beating

        LiveRecordTick.Result result = tick.run(registry, ours);

        assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.RECLAIMED);
        ServerRecord now = registry.read().server().orElseThrow();
        assertThat(now.serverId()).isEqualTo("daemon-a");
        assertThat(now.lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void otherOwnerWhoseProcessIsGoneIsReplacedAtOnce() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Instant now = clock.instant();
        registry.takeOver(new ServerRecord(
                "chat-killed", ServerMode.EMBEDDED_CHAT, "127.0.0.1", 1, finished.pid(), null, now, now));

        LiveRecordTick.Result result = tick.run(registry, record("daemon-a"));

        assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.RECLAIMED);
    }

    @Test
    void freshOtherOwnerJustBelowStaleAfterIsKept() {
        registry.takeOver(record("chat-new"));
        clock.advance(STALE_AFTER.minusSeconds(1));

        LiveRecordTick.Result result = tick.run(registry, record("daemon-a"));

        assertThat(result.outcome()).isEqualTo(LiveRecordTick.Outcome.STANDING_BY);
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo("chat-new");
    }
}
