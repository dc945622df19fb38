package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.copyFixture;
import static io.heddle.registry.internal.RegistryTestData.fixtureBytes;
import static io.heddle.registry.internal.RegistryTestData.parseStrictly;
import static io.heddle.registry.internal.RegistryTestData.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.MutableClock;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading is tolerant: every odd file still yields what can be trusted, and nothing is silently lost. */
class RegistryTolerantReadTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private FileDaemonRegistry registry;

    @BeforeEach
    void openRegistry() {
        registry = new FileDaemonRegistry(
                dir.resolve(REGISTRY_FILE),
                clock,
                Duration.ofSeconds(45),
                new ProcessLiveness(),
                warnings::add,
                Duration.ofSeconds(5));
    }

    @Test
    void missingFileReadsAsEmptyRegistry() {
        RegistrySnapshot snapshot = registry.read();

        assertThat(snapshot).isEqualTo(RegistrySnapshot.empty());
        assertThat(warnings).isEmpty();
        assertThat(dir.resolve(REGISTRY_FILE)).doesNotExist();
    }

    @Test
    void referenceFormatFileWithoutProcessStartedAtReads() {
        copyFixture("reference-format.json", dir);

        RegistrySnapshot snapshot = registry.read();

        assertThat(snapshot.server())
                .contains(new ServerRecord(
                        "daemon-4242-1780000000000",
                        ServerMode.DAEMON,
                        "127.0.0.1",
                        8765,
                        4242,
                        null,
                        Instant.parse("2026-06-02T00:00:00.000Z"),
                        Instant.parse("2026-06-02T00:00:15.000Z")));
        assertThat(snapshot.updatedAt()).isEqualTo(Instant.parse("2026-06-02T00:00:15.000Z"));
        assertThat(snapshot.workspaces()).singleElement().satisfies(entry -> {
            assertThat(entry.workspace().id()).isEqualTo("ws-repo");
            assertThat(entry.workspace().stateRoot()).isEqualTo("/src/repo/.heddle");
            assertThat(entry.workspace().repoRoots()).containsExactly("/src/repo");
            assertThat(entry.updatedAt()).isEqualTo(Instant.parse("2026-06-02T00:00:00.000Z"));
        });
        assertThat(warnings).isEmpty();
    }

    @Test
    void recordsWeWriteCarryProcessStartedAtAndReadBackUnchanged() throws IOException {
        Instant processStart = Instant.parse("2026-06-01T23:59:58.123Z");
        ServerRecord record =
                new ServerRecord("daemon-7-1", ServerMode.DAEMON, "127.0.0.1", 8765, 0, processStart, T0, T0);

        registry.claim(record);

        Map<String, Object> server =
                JsonFields.object(JsonFields.object(JsonTree.parse(Files.readAllBytes(registry.path())))
                        .get("server"));
        assertThat(server).containsEntry("processStartedAt", "2026-06-01T23:59:58.123Z");
        assertThat(registry.read().server()).contains(record);
    }

    @Test
    void serverRecordMissingARequiredFieldMeansNoServerButKeepsWorkspaces() {
        copyFixture("server-missing-port.json", dir);

        RegistrySnapshot snapshot = registry.read();

        assertThat(snapshot.server()).isEmpty();
        assertThat(RegistryTestData.stateRoots(snapshot)).containsExactly("/src/repo/.heddle", "/src/docs/.heddle");
        assertThat(warnings).singleElement().asString().contains("live-server record");
    }

    @Test
    void legacyOwnerObjectsInWorkspaceEntriesYieldTheNewestOwnerAsServer() {
        copyFixture("legacy-owner-in-workspaces.json", dir);

        RegistrySnapshot snapshot = registry.read();

        assertThat(snapshot.server())
                .contains(new ServerRecord(
                        "embedded-chat-2222-1779990000000",
                        ServerMode.EMBEDDED_CHAT,
                        "127.0.0.1",
                        9001,
                        2222,
                        null,
                        Instant.parse("2026-05-30T09:00:00.000Z"),
                        Instant.parse("2026-05-30T09:00:30.000Z")));
        assertThat(FileDaemonRegistry.workspaceIds(snapshot)).containsExactly("ws-old", "ws-new", "ws-mid", "ws-none");
        assertThat(warnings).isEmpty();
    }

    @Test
    void oneBadWorkspaceEntryIsDroppedAloneWithAWarning() {
        copyFixture("one-bad-workspace-entry.json", dir);

        RegistrySnapshot snapshot = registry.read();

        assertThat(FileDaemonRegistry.workspaceIds(snapshot)).containsExactly("ws-first", "ws-third");
        assertThat(warnings).singleElement().asString().contains("workspace entry #1");
        assertThat(dir.resolve(REGISTRY_FILE)).hasBinaryContent(fixtureBytes("one-bad-workspace-entry.json"));
    }

    @Test
    void unparsableLastSeenAtCountsAsInfinitelyOld() throws IOException {
        Path file = copyFixture("reference-format.json", dir);
        Files.writeString(
                file,
                Files.readString(file)
                        .replace("\"lastSeenAt\": \"2026-06-02T00:00:15.000Z\"", "\"lastSeenAt\": \"yesterday\""));

        Instant lastSeenAt = registry.read().server().orElseThrow().lastSeenAt();

        assertThat(lastSeenAt).isEqualTo(Instant.EPOCH);
        // pid 0 counts as alive, so only the heartbeat can make it stale
        assertThat(registry.judge(server("daemon-4242-1780000000000", 0, lastSeenAt))
                        .stale())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unparsable-not-json.json", "unparsable-truncated.json", "unparsable-empty.json"})
    void unparsableFileIsSetAsideWithOneWarningAndTheNextWriteStartsClean(String fixture) throws IOException {
        Path file = copyFixture(fixture, dir);
        Path expectedAside = dir.resolve("daemon-registry.json.corrupt-20260602T000000.000Z");

        RegistrySnapshot snapshot = registry.read();

        assertThat(snapshot).isEqualTo(RegistrySnapshot.empty());
        assertThat(file).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".corrupt-")))
                    .containsExactly(expectedAside);
        }
        assertThat(expectedAside).hasBinaryContent(fixtureBytes(fixture));
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains(file.toString())
                .contains(expectedAside.toString());

        ClaimResult claim = registry.claim(server("daemon-1-1", 0, T0));

        assertThat(claim.isClaimed()).isTrue();
        assertThat(parseStrictly(file).server())
                .get()
                .extracting(ServerRecord::serverId)
                .isEqualTo("daemon-1-1");
        assertThat(expectedAside).hasBinaryContent(fixtureBytes(fixture));
        assertThat(warnings).hasSize(1);
    }

    @Test
    void secondCorruptFileAtTheSameInstantDoesNotOverwriteTheFirstCopy() {
        Path file = copyFixture("unparsable-not-json.json", dir);
        registry.read();
        copyFixture("unparsable-truncated.json", dir);

        registry.read();

        assertThat(dir.resolve("daemon-registry.json.corrupt-20260602T000000.000Z"))
                .hasBinaryContent(fixtureBytes("unparsable-not-json.json"));
        assertThat(dir.resolve("daemon-registry.json.corrupt-20260602T000000.000Z-1"))
                .hasBinaryContent(fixtureBytes("unparsable-truncated.json"));
        assertThat(file).doesNotExist();
        assertThat(warnings).hasSize(2);
    }
}
