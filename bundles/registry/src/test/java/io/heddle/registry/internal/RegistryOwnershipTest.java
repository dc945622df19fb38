package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static io.heddle.registry.internal.RegistryTestData.bytes;
import static io.heddle.registry.internal.RegistryTestData.server;
import static io.heddle.registry.internal.RegistryTestData.stateRoots;
import static io.heddle.registry.internal.RegistryTestData.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.ClearResult;
import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.itest.support.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who holds the live-server record: claim, takeOver, refresh and clear in one process. Other
 * servers use pid 0 (unknown, so alive) unless a test is about dead processes; staleness by
 * age is driven by the test clock.
 */
class RegistryOwnershipTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private FileDaemonRegistry registry;
    private Path file;

    @BeforeEach
    void openRegistry() {
        file = dir.resolve(REGISTRY_FILE);
        registry = new FileDaemonRegistry(
                file,
                clock,
                STALE_AFTER,
                new ProcessLiveness(),
                RegistryTestData.ANSWERING,
                warnings::add,
                Duration.ofSeconds(5));
    }

    @Test
    void claimOnEmptyRegistryClaims() {
        ServerRecord ours = server("daemon-ours", 0, T0);

        ClaimResult result = registry.claim(ours);

        assertThat(result).isEqualTo(ClaimResult.claimed(Optional.empty()));
        assertThat(RegistryTestData.parseStrictly(file).server()).contains(ours);
        assertThat(warnings).isEmpty();
    }

    @Test
    void claimWhileAFreshOtherServerHoldsTheRecordConflictsAndNamesIt() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        byte[] before = bytes(file);
        clock.advance(STALE_AFTER);

        ClaimResult result = registry.claim(server("daemon-ours", 0, clock.instant()));

        assertThat(result.outcome()).isEqualTo(ClaimResult.Outcome.CONFLICT);
        assertThat(result.existing()).contains(theirs);
        assertThat(file).hasBinaryContent(before);
    }

    @Test
    void claimOverAServerWhoseHeartbeatIsStaleClaimsAndNamesTheReplacedRecord() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        clock.advance(STALE_AFTER.plusMillis(1));
        ServerRecord ours = server("daemon-ours", 0, clock.instant());

        ClaimResult result = registry.claim(ours);

        assertThat(result).isEqualTo(ClaimResult.claimed(Optional.of(theirs)));
        assertThat(registry.read().server()).contains(ours);
    }

    @Test
    void claimOverAServerWhoseProcessIsDeadClaims() throws InterruptedException {
        long deadPid = RegistryTestData.pidOfAnEndedProcess();
        registry.claim(server("daemon-theirs", deadPid, T0));
        ServerRecord ours = server("daemon-ours", 0, T0);

        ClaimResult result = registry.claim(ours);

        assertThat(result.isClaimed()).isTrue();
        assertThat(registry.read().server()).contains(ours);
    }

    @Test
    void reclaimingOurOwnRecordClaims() {
        ServerRecord ours = server("daemon-ours", 0, T0);
        registry.claim(ours);
        clock.advance(Duration.ofSeconds(1));
        ServerRecord again = ours.withLastSeenAt(clock.instant());

        ClaimResult result = registry.claim(again);

        assertThat(result).isEqualTo(ClaimResult.claimed(Optional.of(ours)));
        assertThat(registry.read().server()).contains(again);
    }

    @Test
    void takeOverReplacesEvenAFreshOtherServer() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        ServerRecord ours = server("embedded-chat-ours", 0, T0);

        assertThat(registry.takeOver(ours)).contains(theirs);
        assertThat(registry.read().server()).contains(ours);
    }

    @Test
    void refreshByTheOwnerRefreshesAndMovesLastSeenAt() {
        registry.claim(server("daemon-ours", 0, T0));
        clock.advance(Duration.ofSeconds(15));
        Instant heartbeat = clock.instant();

        RefreshResult result = registry.refresh("daemon-ours", heartbeat);

        assertThat(result).isEqualTo(RefreshResult.refreshed());
        ServerRecord stored = RegistryTestData.parseStrictly(file).server().orElseThrow();
        assertThat(stored.lastSeenAt()).isEqualTo(heartbeat);
        assertThat(stored.startedAt()).isEqualTo(T0);
    }

    @Test
    void refreshFromNonOwnerNeverChangesTheFile() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        registry.registerWorkspaces(List.of(workspace("repo", "/src/repo/.heddle")));
        byte[] before = bytes(file);
        clock.advance(Duration.ofSeconds(15));

        RefreshResult result = registry.refresh("daemon-older", clock.instant());

        assertThat(result).isEqualTo(RefreshResult.lost(theirs));
        assertThat(file).hasBinaryContent(before);
    }

    @Test
    void refreshOnEmptyRegistryIsAbsentAndWritesNothing() {
        RefreshResult result = registry.refresh("daemon-ours", T0);

        assertThat(result).isEqualTo(RefreshResult.absent());
        assertThat(file).doesNotExist();
    }

    @Test
    void clearByNonOwnerNeverChangesTheFile() {
        ServerRecord theirs = server("daemon-theirs", 0, T0);
        registry.claim(theirs);
        byte[] before = bytes(file);
        clock.advance(Duration.ofSeconds(1));

        ClearResult result = registry.clear("daemon-older");

        assertThat(result).isEqualTo(ClearResult.notOwner(theirs));
        assertThat(file).hasBinaryContent(before);
    }

    @Test
    void clearByOwnerRemovesTheServerButKeepsWorkspaces() {
        registry.registerWorkspaces(
                List.of(workspace("repo", "/src/repo/.heddle"), workspace("docs", "/src/docs/.heddle")));
        registry.claim(server("daemon-ours", 0, T0));

        ClearResult result = registry.clear("daemon-ours");

        assertThat(result).isEqualTo(ClearResult.cleared());
        RegistrySnapshot after = RegistryTestData.parseStrictly(file);
        assertThat(after.server()).isEmpty();
        assertThat(stateRoots(after)).containsExactly("/src/repo/.heddle", "/src/docs/.heddle");
        assertThat(registry.clear("daemon-ours")).isEqualTo(ClearResult.absent());
    }

    @Test
    void registerWorkspacesUpsertsKeyedByResolvedStateRootAndKeepsTheServer() {
        ServerRecord ours = server("daemon-ours", 0, T0);
        registry.claim(ours);
        registry.registerWorkspaces(
                List.of(workspace("repo", "/src/repo/.heddle"), workspace("docs", "/src/docs/.heddle")));
        clock.advance(Duration.ofSeconds(15));
        WorkspaceDescriptor renamed = new WorkspaceDescriptor(
                "ws-repo",
                "repo (renamed)",
                "/src/repo",
                List.of("/src/repo"),
                "/src/repo/sub/../.heddle",
                T0,
                clock.instant());

        registry.registerWorkspaces(List.of(renamed, workspace("web", "/src/web/.heddle")));

        RegistrySnapshot after = RegistryTestData.parseStrictly(file);
        assertThat(after.workspaces())
                .extracting(e -> e.workspace().name())
                .containsExactly("repo (renamed)", "docs", "web");
        assertThat(after.workspaces().get(0).updatedAt()).isEqualTo(clock.instant());
        assertThat(after.workspaces().get(1).updatedAt()).isEqualTo(T0);
        assertThat(after.server()).contains(ours);
    }
}
