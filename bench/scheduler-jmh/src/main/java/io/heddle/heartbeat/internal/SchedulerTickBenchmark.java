package io.heddle.heartbeat.internal;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one scheduler tick with 1,000 tasks across 10 workspaces and none due: what an
 * idle server pays once per poll interval ({@code idleTick}: one revision read per workspace),
 * and what a tick pays when it re-checks the stamp of every task file ({@code rescanTick}: after
 * a change notice, and every rescan interval; files whose stamp is unchanged are not read).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SchedulerTickBenchmark {

    private BenchWorkspaces world;
    private SchedulerSession session;
    private java.util.List<java.nio.file.Path> stateRoots;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        world = new BenchWorkspaces(10, 100, BenchWorkspaces.TaskShape.IDLE);
        world.install(c -> {});
        session = world.manualSession("bench-server");
        stateRoots = new java.util.ArrayList<>();
        for (io.heddle.api.workspace.WorkspaceDescriptor w :
                world.catalog.read(world.serverState).workspaces()) {
            stateRoots.add(java.nio.file.Path.of(w.stateRoot()));
        }
        session.tick();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        session.stop();
        world.close();
    }

    @Benchmark
    public Object idleTick() {
        return session.tick();
    }

    @Benchmark
    public Object rescanTick() {
        stateRoots.forEach(session::changed);
        return session.tick();
    }
}
