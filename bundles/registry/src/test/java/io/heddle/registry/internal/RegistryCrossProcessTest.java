package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.parseStrictly;
import static io.heddle.registry.internal.RegistryTestData.server;
import static io.heddle.registry.internal.RegistryTestData.stateRoots;
import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several real OS processes (RegistryStressMain) on one registry file: the lock must serialise
 * them, the atomic replace must hide half-written files from readers, and a process killed
 * with SIGKILL at any moment must leave a file the next writer can use.
 */
class RegistryCrossProcessTest {

    private static final Duration START = Duration.ofSeconds(30);

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses();

    @TempDir
    Path dir;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private Path file;
    private Path workspaceBase;
    private FileDaemonRegistry registry;

    @BeforeEach
    void openRegistry() {
        file = dir.resolve(REGISTRY_FILE);
        workspaceBase = dir.resolve("workspaces");
        // real time: the children judge freshness with the system clock too
        registry = new FileDaemonRegistry(
                file,
                Clock.systemUTC(),
                FileDaemonRegistry.DEFAULT_STALE_AFTER,
                new ProcessLiveness(),
                warnings::add,
                Duration.ofSeconds(5));
    }

    /** Known workspaces the file starts with, as on a machine that has served several. */
    private List<String> seedKnownWorkspaces() {
        List<WorkspaceDescriptor> known = IntStream.range(0, 20)
                .mapToObj(i -> RegistryTestData.workspace(
                        "known-" + i,
                        dir.resolve("known").resolve("k" + i).resolve(".heddle").toString()))
                .collect(Collectors.toList());
        registry.registerWorkspaces(known);
        return known.stream().map(WorkspaceDescriptor::stateRoot).collect(Collectors.toList());
    }

    private String stateRootOf(int index) {
        return RegistryStressMain.workspaceOf(workspaceBase, index, 0, Instant.EPOCH)
                .stateRoot();
    }

    @Test
    void concurrentWritersInEightProcessesLoseNoUpdateAndNeverShowATornFile() throws IOException {
        int processes = 8;
        int cycles = 200;
        registry.claim(server("stress-server", 0, Instant.now()));
        List<ChildProcesses.Child> writers = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            writers.add(children.startJava(
                    RegistryStressMain.class,
                    "cycles",
                    file.toString(),
                    workspaceBase.toString(),
                    Integer.toString(i),
                    Integer.toString(cycles),
                    "stress-server"));
        }
        for (ChildProcesses.Child writer : writers) {
            assertThat(writer.readLine(START)).isEqualTo("READY");
        }

        writers.forEach(writer -> writer.send("GO"));
        List<String> badReads = new ArrayList<>();
        Set<Instant> versionsSeen = new HashSet<>();
        int reads = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (writers.stream().anyMatch(w -> w.process().isAlive()) && System.nanoTime() < deadline) {
            byte[] bytes = Files.readAllBytes(file);
            reads++;
            List<String> readWarnings = new ArrayList<>();
            try {
                versionsSeen.add(RegistryCodec.decode(bytes, readWarnings::add).updatedAt());
                readWarnings.forEach(w -> badReads.add("warning: " + w));
            } catch (RegistryCodec.CorruptRegistryException e) {
                badReads.add(e.getMessage() + " in " + bytes.length + " bytes");
            }
            // leave the writers a core: this box may have only two
            LockSupport.parkNanos(200_000);
        }

        for (ChildProcesses.Child writer : writers) {
            assertThat(writer.remainingLines(Duration.ofMinutes(3)))
                    .containsExactly("DONE refreshed=" + cycles + " lost=0");
            assertThat(writer.awaitExit(Duration.ofSeconds(10))).isZero();
        }
        assertThat(badReads).isEmpty();
        // the reader really raced the writers
        assertThat(versionsSeen).hasSizeGreaterThan(10);
        RegistrySnapshot last = parseStrictly(file);
        assertThat(stateRoots(last))
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, processes)
                        .mapToObj(this::stateRootOf)
                        .collect(Collectors.toList()));
        assertThat(last.workspaces())
                .extracting(e -> e.workspace().name())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, processes)
                        .mapToObj(i -> RegistryStressMain.cycleName(i, cycles - 1))
                        .collect(Collectors.toList()));
        assertThat(last.server()).get().extracting(ServerRecord::serverId).isEqualTo("stress-server");
        assertThat(warnings).isEmpty();
        System.out.printf(
                "RegistryCrossProcessTest: %d reads of the file while %d processes wrote%n", reads, processes);
    }

    @Test
    void simultaneousClaimsFromSixProcessesElectExactlyOneServer() {
        int processes = 6;
        List<ChildProcesses.Child> claimants = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            claimants.add(
                    children.startJava(RegistryStressMain.class, "claim", file.toString(), "daemon-claimant-" + i));
        }
        for (ChildProcesses.Child claimant : claimants) {
            assertThat(claimant.readLine(START)).isEqualTo("READY");
        }

        claimants.forEach(claimant -> claimant.send("GO"));
        List<String> answers = new ArrayList<>();
        for (ChildProcesses.Child claimant : claimants) {
            answers.add(claimant.readLine(Duration.ofSeconds(30)));
        }

        assertThat(answers).filteredOn("CLAIMED"::equals).hasSize(1);
        int winner = answers.indexOf("CLAIMED");
        String winnerId = "daemon-claimant-" + winner;
        for (int i = 0; i < processes; i++) {
            if (i != winner) {
                assertThat(answers.get(i)).as("answer of claimant %d", i).isEqualTo("CONFLICT " + winnerId);
            }
        }
        ServerRecord stored = parseStrictly(file).server().orElseThrow();
        assertThat(stored.serverId()).isEqualTo(winnerId);
        assertThat(stored.pid()).isEqualTo(claimants.get(winner).pid());
        claimants.forEach(ChildProcesses.Child::closeStdin);
        claimants.forEach(claimant ->
                assertThat(claimant.awaitExit(Duration.ofSeconds(10))).isZero());
    }

    @Test
    void writerKilledWithSigkillAtAnyMomentLeavesAFileTheNextWriterCanUse() throws IOException {
        List<String> known = seedKnownWorkspaces();
        registry.claim(server("crash-server", 0, Instant.now()));
        for (int round = 0; round < 10; round++) {
            ChildProcesses.Child writer = children.startJava(
                    RegistryStressMain.class,
                    "write-forever",
                    file.toString(),
                    workspaceBase.toString(),
                    Integer.toString(round),
                    "crash-server");
            writer.awaitLineStartingWith("WROTE " + (1 + round), START);

            writer.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no finally
            writer.awaitExit(Duration.ofSeconds(10));

            RegistrySnapshot afterKill = parseStrictly(file);
            assertThat(stateRoots(afterKill)).as("round %d", round).containsAll(known);
            assertThat(stateRoots(afterKill))
                    .as("round %d", round)
                    .containsAll(IntStream.rangeClosed(0, round)
                            .mapToObj(this::stateRootOf)
                            .collect(Collectors.toList()));
            registry.registerWorkspaces(List.of(RegistryTestData.workspace(
                    "after-kill-" + round,
                    dir.resolve("after-kill-" + round).resolve(".heddle").toString())));
            assertThat(registry.refresh("crash-server", Instant.now()).outcome())
                    .isEqualTo(RefreshResult.Outcome.REFRESHED);
            assertThat(stateRoots(parseStrictly(file)))
                    .as("round %d", round)
                    .contains(dir.resolve("after-kill-" + round)
                            .resolve(".heddle")
                            .toString());
        }
        assertThat(warnings).isEmpty();
        try (Stream<Path> files = Files.list(dir)) {
            long leftovers = files.filter(p -> p.getFileName().toString().startsWith(".daemon-registry.json.tmp-"))
                    .count();
            System.out.printf("RegistryCrossProcessTest: %d temp files left by 10 killed writers%n", leftovers);
        }
    }
}
