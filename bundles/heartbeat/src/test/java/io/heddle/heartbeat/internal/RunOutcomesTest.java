package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outcome recording and the recovery rule, on real files with a clock the test moves. */
class RunOutcomesTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private SchedulerFixture f;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
    }

    @Test
    void aRunThatOutlivesItsLeaseAndIsTakenOverIsRecordedAsSupersededAndNotApplied() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor heldA = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = f.scheduler("server-a", heldA);
        WorkspaceScheduler b = f.scheduler("server-b");
        f.clock.advance(MINUTE);
        a.poll(); // server-a claims; its run is held (it "sleeps" past its lease)
        String runOfA = f.task(t.id()).state().lastRunId();
        f.clock.advance(Duration.ofSeconds(61));
        b.poll(); // server-b recovers the task and runs it
        HeartbeatTask afterB = f.task(t.id());

        heldA.runAll(); // server-a wakes up and finishes its run

        assertThat(runner.runs()).isEqualTo(2);
        assertThat(f.tasks.run(f.workspace, t.id(), runOfA))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.SUPERSEDED);
        assertThat(f.task(t.id())).isEqualTo(afterB);
        assertThat(a.activeRuns()).isZero();
        assertThat(f.events)
                .anyMatch(e -> e.topic().equals(HeartbeatEvents.TASK_FINISHED)
                        && runOfA.equals(e.props().get(HeartbeatEvents.RUN_ID))
                        && "idle".equals(e.props().get("status")));
    }

    @Test
    void theRecoveryRuleInterruptsARunningRecordAndKeepsAnEndedOne() {
        HeartbeatTask created = f.create("script", MINUTE);
        Instant now = SchedulerFixture.T0.plus(MINUTE);
        HeartbeatTask running =
                TaskTransitions.started(f.store().readTask(created.id()).orElseThrow(), "run-1", now);
        HeartbeatLease lapsed = new HeartbeatLease(created.id(), "run-1", "server-gone", 1L, now, now, now);
        HeartbeatRun going = new HeartbeatRun(
                "run-1",
                created.id(),
                "ws-test",
                "server-gone",
                "script",
                "request",
                now.minusSeconds(5),
                now,
                null,
                HeartbeatRunStatus.RUNNING,
                null,
                null,
                Map.of(),
                null);
        AbandonedRuns rule = new AbandonedRuns(
                "server-b",
                f.fileStore.workspace(f.taskWorkspace()),
                new WorkspaceEvents(SchedulerEvents.NONE, "server-b", "ws-test"),
                new TaskCache(f.fileStore.workspace(f.taskWorkspace())),
                Map.of());

        WorkspaceTaskStore.Recovered interrupted = rule.recovery(running, lapsed, going, now.plusSeconds(90));
        assertThat(interrupted.run().status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(interrupted.run().error()).contains("server-gone", "run-1");
        assertThat(interrupted.task().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(interrupted.task().state().runRequestedAt())
                .isEqualTo(now.minusSeconds(5)); // a requested run asks again

        HeartbeatRun ended = RunOutcomes.ended(going, HeartbeatRunStatus.FINISHED, null, null, Map.of(), now);
        WorkspaceTaskStore.Recovered kept = rule.recovery(running, lapsed, ended, now.plusSeconds(90));
        assertThat(kept.run()).isNull();
        assertThat(kept.task().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);

        WorkspaceTaskStore.Recovered unrecorded = rule.recovery(running, null, null, now.plusSeconds(90));
        assertThat(unrecorded.run().status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(unrecorded.run().serverId()).isEqualTo("(unknown)");
        assertThat(unrecorded.run().startedAt()).isEqualTo(now);
    }
}
