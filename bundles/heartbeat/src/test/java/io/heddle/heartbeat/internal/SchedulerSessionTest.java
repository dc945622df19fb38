package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.itest.support.Poll;
import io.heddle.workspaces.internal.FileWorkspaceCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerSessionTest {

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private WorkspaceCatalog catalog;
    private ExecutorService workers;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        catalog = new FileWorkspaceCatalog(f.clock, message -> {});
        catalog.ensure(f.workspaceRoot, f.stateRoot);
        workers = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        workers.shutdownNow();
    }

    private SchedulerSession session(String serverId) {
        return new SchedulerSession(
                serverId,
                f.stateRoot,
                catalog,
                f.clock,
                () -> f.settings,
                f.runners,
                (topic, props) -> f.events.add(new SchedulerFixture.Posted(topic, java.util.Map.copyOf(props))),
                () -> f.fileStore,
                workers);
    }

    /** The workspace the fixture's tasks live in, as the catalog names it. */
    private io.heddle.api.workspace.WorkspaceDescriptor catalogWorkspace() {
        return catalog.read(f.stateRoot).workspaces().get(0);
    }

    @Test
    void syncStartsASchedulerPerCatalogWorkspaceAndStopsRemovedOnes() throws Exception {
        SchedulerSession session = session("server-a");
        session.sync();
        assertThat(session.workspaceIds()).hasSize(1);

        Path second = Files.createDirectories(dir.resolve("second"));
        String secondId =
                catalog.create(f.stateRoot, second, "second", ".heddle").id();
        session.sync();
        assertThat(session.workspaceIds()).hasSize(2).contains(secondId);
        assertThat(f.topics().stream().filter(HeartbeatEvents.SCHEDULER_STARTED::equals))
                .hasSize(2);

        // the second workspace leaves the catalog
        Path catalogFile = f.stateRoot.resolve(WorkspaceCatalog.CATALOG_FILE);
        String json = Files.readString(catalogFile);
        catalog.read(f.stateRoot); // (still readable before the edit)
        String keepFirst = json.substring(0, json.indexOf("}, {") + 1) + " ]\n}\n";
        Files.writeString(catalogFile, keepFirst, StandardCharsets.UTF_8);
        session.sync();
        session.tick();

        assertThat(session.workspaceIds()).hasSize(1).doesNotContain(secondId);
        assertThat(f.events)
                .anyMatch(e -> e.topic().equals(HeartbeatEvents.SCHEDULER_STOPPED)
                        && secondId.equals(e.props().get(HeartbeatEvents.WORKSPACE_ID)));
        session.stop();
    }

    @Test
    void stopLetsARunningTaskFinishWithinTheTimeout() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.answer = c -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted although the timeout was not reached");
            }
            return HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "finished in time");
        };
        HeartbeatTask t = f.tasks.create(catalogWorkspace(), spec("script"));
        SchedulerSession session = session("server-a");
        session.sync();
        f.tasks.runNow(catalogWorkspace(), t.id());
        session.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(session::stop);
        stopper.start();
        Poll.until("the session is stopping", session::stopped);
        release.countDown();
        stopper.join(10_000);

        assertThat(stopper.isAlive()).isFalse();
        HeartbeatRun run = f.tasks.runs(catalogWorkspace(), t.id()).get(0);
        assertThat(run.status()).isEqualTo(HeartbeatRunStatus.FINISHED);
        assertThat(run.summary()).isEqualTo("finished in time");
        assertThat(f.topics()).contains(HeartbeatEvents.SCHEDULER_STOPPED);
    }

    @Test
    void stopInterruptsARunThatOutlastsTheTimeoutAndRecordsItAsInterrupted() throws Exception {
        f.settings = new SchedulerSettings(
                Duration.ofSeconds(1),
                4,
                50,
                Duration.ofMillis(50),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        CountDownLatch started = new CountDownLatch(1);
        // honours interrupts the way the SPI asks: by throwing InterruptedException
        f.runners.add(
                "script",
                new io.heddle.api.heartbeat.HeartbeatTaskRunner() {
                    @Override
                    public HeartbeatRunResult run(io.heddle.api.heartbeat.HeartbeatRunContext c)
                            throws InterruptedException {
                        started.countDown();
                        new CountDownLatch(1).await(); // forever, until interrupted
                        return null;
                    }
                },
                0,
                1);
        HeartbeatTask t = f.tasks.create(catalogWorkspace(), spec("script"));
        SchedulerSession session = session("server-a");
        session.sync();
        f.tasks.runNow(catalogWorkspace(), t.id());
        session.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        session.stop();

        HeartbeatRun run = f.tasks.runs(catalogWorkspace(), t.id()).get(0);
        assertThat(run.status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(run.error()).contains("server-a stopped");
        HeartbeatTask after = f.tasks.get(catalogWorkspace(), t.id()).orElseThrow();
        assertThat(after.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(after.state().runRequestedAt())
                .as("the interrupted run-now is asked for again")
                .isNotNull();
        assertThat(f.store().readLease(t.id())).isEmpty();
        assertThat(f.events)
                .anyMatch(e -> e.topic().equals(HeartbeatEvents.TASK_FAILED)
                        && Boolean.TRUE.equals(e.props().get("interrupted")));
    }

    @Test
    void stopRecordsARunnerThatIgnoresInterruptsAsInterruptedAndIgnoresItsLateAnswer() throws Exception {
        f.settings = new SchedulerSettings(
                Duration.ofSeconds(1),
                4,
                50,
                Duration.ofMillis(50),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean letGo = new AtomicBoolean();
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.answer = c -> {
            started.countDown();
            while (!letGo.get()) {
                Thread.onSpinWait(); // deaf to interrupts
            }
            return HeartbeatRunResult.of(HeartbeatDecision.COMPLETE, "too late");
        };
        HeartbeatTask t = f.tasks.create(catalogWorkspace(), spec("script"));
        SchedulerSession session = session("server-a");
        session.interruptGrace(Duration.ofMillis(50));
        session.sync();
        f.tasks.runNow(catalogWorkspace(), t.id());
        session.tick();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        session.stop();
        letGo.set(true);
        workers.shutdown();
        assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        HeartbeatRun run = f.tasks.runs(catalogWorkspace(), t.id()).get(0);
        assertThat(run.status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(f.tasks.get(catalogWorkspace(), t.id()).orElseThrow().state().status())
                .isEqualTo(HeartbeatTaskStatus.IDLE);
    }

    private static io.heddle.api.heartbeat.HeartbeatTaskSpec spec(String runner) {
        return new io.heddle.api.heartbeat.HeartbeatTaskSpec(
                "t", "do it", true, null, 60_000, runner, java.util.Map.of());
    }
}
