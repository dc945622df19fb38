package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that ends while its store cannot be reached: its result is kept and offered again, with
 * backoff, until the store answers; then the fencing rule applies it or records it superseded.
 * Real files behind a switch that makes them unreachable; a clock the test moves.
 */
class PendingOutcomeTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private SchedulerFixture.ScriptedRunner runner;
    private SchedulerFixture.HeldExecutor held;
    private OutageTaskStore store;
    private WorkspaceScheduler a;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        runner = f.install("script");
        held = new SchedulerFixture.HeldExecutor();
        store = new OutageTaskStore(f.fileStore.workspace(f.taskWorkspace()));
        a = new WorkspaceScheduler(f.context("server-a", held), store);
    }

    /** server-a claims the due task, then the store goes down and the run ends. */
    private String runEndsWhileTheStoreIsDown(HeartbeatTask t) {
        f.clock.advance(MINUTE);
        a.poll();
        String runId = f.task(t.id()).state().lastRunId();
        store.down = true;
        held.runAll();
        return runId;
    }

    @Test
    void aResultThatEndsWhileTheStoreIsDownIsAppliedOnceTheStoreAnswers() {
        HeartbeatTask t = f.create("script", MINUTE);
        String runId = runEndsWhileTheStoreIsDown(t);

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(store.completeCalls).hasValue(1);
        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);
        assertThat(a.activeRuns()).isOne(); // this server neither claims nor recovers the task meanwhile
        assertThat(a.pendingResults()).isOne();
        assertThat(f.topics())
                .contains(HeartbeatEvents.TASK_STORE_FAILED)
                .doesNotContain(HeartbeatEvents.TASK_FINISHED);

        f.clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(a::poll).isInstanceOf(UncheckedIOException.class); // the rest of the poll fails as before
        assertThat(store.completeCalls).hasValue(2); // offered again first

        store.down = false;
        f.clock.advance(Duration.ofSeconds(2));
        a.poll();

        assertThat(store.completeCalls).hasValue(3);
        HeartbeatTask after = f.task(t.id());
        assertThat(after.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(after.state().result()).isEqualTo("ok");
        assertThat(after.state().lastError()).isNull(); // recorded after all: no failure is left in the task
        assertThat(f.tasks.run(f.workspace, t.id(), runId))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.FINISHED);
        assertThat(a.activeRuns()).isZero();
        assertThat(a.pendingResults()).isZero();
        assertThat(f.events)
                .anyMatch(e -> e.topic().equals(HeartbeatEvents.TASK_FINISHED)
                        && runId.equals(e.props().get(HeartbeatEvents.RUN_ID)));
        assertThat(runner.runs()).isEqualTo(1); // the task was not run again
    }

    @Test
    void aWaitingResultIsOfferedAgainWithBackoffCappedAtAThirdOfTheLease() {
        HeartbeatTask t = f.create("script", MINUTE);
        runEndsWhileTheStoreIsDown(t);
        Instant ended = f.clock.instant();
        // poll interval 1 s, lease 60 s: offered again at +1, +3, +7, +15, +31 s, then every 20 s
        java.util.Set<Long> offersAt = java.util.Set.of(1L, 3L, 7L, 15L, 31L, 51L, 71L);
        int calls = 1;
        for (long second = 1; second <= 71; second++) {
            f.clock.set(ended.plusSeconds(second));
            try {
                a.poll();
            } catch (UncheckedIOException stillDown) {
                // the rest of the poll fails while the store is down
            }
            calls += offersAt.contains(second) ? 1 : 0;
            assertThat(store.completeCalls).as("offers by +%d s", second).hasValue(calls);
        }
        store.down = false;
        a.poll(); // the store is back, but the next offer is due at +91 s only
        assertThat(store.completeCalls).hasValue(calls);
        f.clock.set(ended.plusSeconds(91));
        a.poll();
        assertThat(store.completeCalls).hasValue(calls + 1);
        assertThat(a.pendingResults()).isZero();
    }

    @Test
    void aWaitingResultIsRecordedSupersededWhenAnotherServerTookTheTaskOverMeanwhile() {
        HeartbeatTask t = f.create("script", MINUTE);
        String runOfA = runEndsWhileTheStoreIsDown(t);
        WorkspaceScheduler b = f.scheduler("server-b"); // reaches the store: the outage was server-a's alone
        f.clock.advance(Duration.ofSeconds(61));
        b.poll(); // server-a's lease lapsed: server-b recovers the task and runs it
        HeartbeatTask afterB = f.task(t.id());
        assertThat(runner.runs()).isEqualTo(2);

        store.down = false;
        a.poll();

        assertThat(f.tasks.run(f.workspace, t.id(), runOfA))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.SUPERSEDED);
        assertThat(f.task(t.id())).isEqualTo(afterB);
        assertThat(a.activeRuns()).isZero();
    }

    @Test
    void aStoppingSchedulerOffersAWaitingResultOnceMoreAndThenLetsItsLeaseLapse() {
        HeartbeatTask t = f.create("script", MINUTE);
        String runId = runEndsWhileTheStoreIsDown(t);

        a.retire();
        a.interruptRemaining("interrupted: server server-a stopped");
        assertThat(store.completeCalls).hasValue(2);
        assertThat(a.activeRuns()).isZero();
        assertThat(a.pendingResults()).isZero();

        store.down = false;
        f.clock.advance(Duration.ofSeconds(61));
        f.scheduler("server-b").poll(); // the lapsed lease is recovered by the next server

        assertThat(f.tasks.run(f.workspace, t.id(), runId))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(runner.runs()).isEqualTo(2);
    }
}
