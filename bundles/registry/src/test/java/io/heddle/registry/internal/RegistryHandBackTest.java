package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.bytes;
import static io.heddle.registry.internal.RegistryTestData.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ReleaseResult;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.MutableClock;
import io.heddle.storage.internal.ExclusiveFileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code release}: a server that took the live record over from a still-live one hands it back
 * when it closes, in one locked change, so the record is never empty while that one serves.
 */
class RegistryHandBackTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private FileDaemonRegistry registry;
    private Path file;

    @BeforeEach
    void openRegistry() {
        file = dir.resolve(REGISTRY_FILE);
        registry = new FileDaemonRegistry(
                file, clock, STALE_AFTER, new ProcessLiveness(), warnings::add, Duration.ofSeconds(5));
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** A record of this very test process: alive for as long as the test runs. */
    private static ServerRecord chatOfThisProcess(Instant lastSeenAt) {
        ProcessHandle self = ProcessHandle.current();
        return new ServerRecord(
                "embedded-chat-self",
                ServerMode.EMBEDDED_CHAT,
                "127.0.0.1",
                40000,
                self.pid(),
                self.info().startInstant().orElse(null),
                T0,
                lastSeenAt);
    }

    @Test
    void releaseHandsTheRecordBackToTheStillLivePreviousOwnerWithAFreshHeartbeat() {
        ServerRecord chat = chatOfThisProcess(T0);
        registry.claim(chat);
        ServerRecord daemon = server("daemon-new", 0, T0);
        Optional<ServerRecord> replaced = registry.takeOver(daemon);
        clock.advance(Duration.ofMinutes(5)); // the chat stood by meanwhile: its own heartbeat is old

        ReleaseResult result = registry.release("daemon-new", replaced);

        ServerRecord restored = chat.withLastSeenAt(clock.instant());
        assertThat(result).isEqualTo(ReleaseResult.handedBack(restored));
        assertThat(RegistryTestData.parseStrictly(file).server()).contains(restored);
        assertThat(registry.resolveLiveServer().orElseThrow().fresh()).isTrue();
    }

    @Test
    void releaseClearsTheRecordWhenThePreviousOwnerHasEnded() throws InterruptedException {
        ServerRecord gone = new ServerRecord(
                "embedded-chat-gone",
                ServerMode.EMBEDDED_CHAT,
                "127.0.0.1",
                40000,
                RegistryTestData.pidOfAnEndedProcess(),
                null,
                T0,
                T0);
        registry.claim(gone);
        Optional<ServerRecord> replaced = registry.takeOver(server("daemon-new", 0, T0));

        ReleaseResult result = registry.release("daemon-new", replaced);

        assertThat(result).isEqualTo(ReleaseResult.cleared());
        assertThat(RegistryTestData.parseStrictly(file).server()).isEmpty();
    }

    @Test
    void releaseWithNothingTakenOverClearsOurOwnRecord() {
        registry.claim(server("daemon-ours", 0, T0));

        ReleaseResult result = registry.release("daemon-ours", Optional.empty());

        assertThat(result).isEqualTo(ReleaseResult.cleared());
        assertThat(RegistryTestData.parseStrictly(file).server()).isEmpty();
    }

    @Test
    void releaseLeavesTheRecordOfAnotherServerUntouched() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        byte[] before = bytes(file);

        ReleaseResult result = registry.release("daemon-ours", Optional.of(chatOfThisProcess(T0)));

        assertThat(result).isEqualTo(ReleaseResult.notOwner(theirs));
        assertThat(file).hasBinaryContent(before);
    }

    @Test
    void releaseWhileAnotherHolderHasTheLockWaitsAndWritesNothingWhenTheWaitRunsOut() throws Exception {
        registry.claim(chatOfThisProcess(T0));
        Optional<ServerRecord> replaced = registry.takeOver(server("daemon-new", 0, T0));
        byte[] before = bytes(file);
        FileDaemonRegistry impatient = new FileDaemonRegistry(
                file, clock, STALE_AFTER, new ProcessLiveness(), warnings::add, Duration.ofMillis(300));

        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(registry.lockFile(), Duration.ofSeconds(5))) {
            Future<ReleaseResult> other = threads.submit(() -> impatient.release("daemon-new", replaced));
            assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RegistryException.class);
        }
        assertThat(file).hasBinaryContent(before);
        assertThat(impatient.release("daemon-new", replaced).outcome()).isEqualTo(ReleaseResult.Outcome.HANDED_BACK);
    }

    @Test
    void aReaderOnAnotherThreadNeverSeesAnEmptyRecordWhileServersTakeOverAndHandBack() throws Exception {
        FileDaemonRegistry real = new FileDaemonRegistry(
                file, Clock.systemUTC(), STALE_AFTER, new ProcessLiveness(), warnings::add, Duration.ofSeconds(5));
        ServerRecord chat = chatOfThisProcess(Instant.now());
        real.claim(chat);
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        Future<Integer> reader = threads.submit(() -> {
            int reads = 0;
            while (!done.get()) {
                seen.add(real.read().server().map(ServerRecord::serverId).orElse("<empty>"));
                reads++;
            }
            return reads;
        });
        Future<?> writer = threads.submit(() -> {
            for (int i = 0; i < 100; i++) {
                String id = "daemon-" + i;
                Optional<ServerRecord> replaced = real.takeOver(server(id, 0, Instant.now()));
                assertThat(real.release(id, replaced).outcome()).isEqualTo(ReleaseResult.Outcome.HANDED_BACK);
            }
            return null;
        });
        writer.get(60, TimeUnit.SECONDS);
        done.set(true);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isPositive();

        assertThat(seen)
                .doesNotContain("<empty>")
                .allMatch(id -> id.equals(chat.serverId()) || id.startsWith("daemon-"));
        assertThat(real.read().server().map(ServerRecord::serverId)).contains(chat.serverId());
    }
}
