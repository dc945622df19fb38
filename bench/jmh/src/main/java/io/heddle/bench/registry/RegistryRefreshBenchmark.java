package io.heddle.bench.registry;

import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.registry.internal.ProcessLiveness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One live-record heartbeat: {@code FileDaemonRegistry.refresh}, that is lock (JVM + OS), read and
 * decode the file, encode, write a temp file, fsync, atomic rename, fsync the folder. Run alone
 * and with four threads of one JVM sharing the registry (they queue on the lock). SampleTime
 * gives the latency distribution (p50, p99). The file lives under {@code java.io.tmpdir};
 * point that at the file system of {@code ~/.heddle} to measure what users get.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RegistryRefreshBenchmark {

    private static final String SERVER_ID = "daemon-bench";

    private Path dir;
    private FileDaemonRegistry registry;

    @Setup(Level.Trial)
    public void createRegistry() throws IOException {
        dir = Files.createTempDirectory("heddle-bench-");
        registry = FileDaemonRegistry.open(dir.resolve("daemon-registry.json"), Duration.ofSeconds(45), warning -> {
            throw new IllegalStateException("unexpected registry warning: " + warning);
        });
        // a typical file: the live server and a few known workspaces
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            String root = dir.resolve("workspace-" + i).toString();
            registry.registerWorkspaces(List.of(new WorkspaceDescriptor(
                    "ws-" + i, "workspace-" + i, root, List.of(root), root + "/.heddle", now, now)));
        }
        long pid = ProcessHandle.current().pid();
        ServerRecord server = new ServerRecord(
                SERVER_ID,
                ServerMode.DAEMON,
                "127.0.0.1",
                8765,
                pid,
                ProcessLiveness.startInstant(pid).orElse(null),
                now,
                now);
        if (!registry.claim(server).isClaimed()) {
            throw new IllegalStateException("a fresh registry must be claimable");
        }
    }

    @TearDown(Level.Trial)
    public void deleteRegistry() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public RefreshResult refreshUncontended() {
        return refresh();
    }

    @Benchmark
    @Threads(4)
    public RefreshResult refreshFourThreads() {
        return refresh();
    }

    private RefreshResult refresh() {
        RefreshResult result = registry.refresh(SERVER_ID, Instant.now());
        if (result.outcome() != RefreshResult.Outcome.REFRESHED) {
            throw new IllegalStateException("refresh did not refresh: " + result);
        }
        return result;
    }
}
