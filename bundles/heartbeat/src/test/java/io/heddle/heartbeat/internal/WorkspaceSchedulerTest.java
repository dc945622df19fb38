package io.heddle.heartbeat.internal;

import static io.heddle.heartbeat.internal.SchedulerFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class WorkspaceSchedulerTest extends SchedulerFixtureTestBase {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void taskRunsWhenItsSlotComesAndNotBefore() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        assertThat(s.poll()).isEqualTo(T0.plusSeconds(1)); // idle: next look after one poll interval
        f.clock.advance(Duration.ofSeconds(59));
        assertThat(s.poll()).isEqualTo(T0.plus(MINUTE)); // the slot is closer than the poll interval
        assertThat(runner.runs()).isZero();

        f.clock.advance(Duration.ofSeconds(1));
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        HeartbeatTask after = f.task(t.id());
        assertThat(after.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(after.state().result()).isEqualTo("ok");
        assertThat(after.schedule().nextRunAt()).isEqualTo(T0.plus(MINUTE.multipliedBy(2)));
        HeartbeatRun run = f.tasks.runs(f.workspace, t.id()).get(0);
        assertThat(run.status()).isEqualTo(HeartbeatRunStatus.FINISHED);
        assertThat(run.decision()).isEqualTo(HeartbeatDecision.CONTINUE);
        assertThat(run.dueAt()).isEqualTo(T0.plus(MINUTE));
        assertThat(run.serverId()).isEqualTo("server-a");
        assertThat(f.topics())
                .containsSubsequence(
                        HeartbeatEvents.TASK_DUE, HeartbeatEvents.TASK_STARTED, HeartbeatEvents.TASK_FINISHED);
    }

    @Test
    void missedSlotsAfterDowntimeRunOnceNotOncePerInterval() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(Duration.ofMinutes(10).plusSeconds(30)); // ten slots missed while "asleep"
        s.poll();
        s.poll();
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(f.task(t.id()).schedule().nextRunAt()).isEqualTo(T0.plus(Duration.ofMinutes(11)));
    }

    @Test
    void failedRunIsRetriedAfterTheBackoffAndTheBackoffGrows() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.failWith = new HeartbeatRunException("disk on fire");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();
        HeartbeatTask failed = f.task(t.id());
        assertThat(failed.state().status()).isEqualTo(HeartbeatTaskStatus.FAILED);
        assertThat(failed.state().error()).isEqualTo("disk on fire");
        assertThat(failed.state().failures()).isEqualTo(1);
        assertThat(failed.schedule().nextRunAt()).isEqualTo(T0.plus(MINUTE).plusSeconds(30));
        assertThat(f.topics()).contains(HeartbeatEvents.TASK_FAILED);

        f.clock.advance(Duration.ofSeconds(29));
        s.poll();
        assertThat(runner.runs()).isEqualTo(1);

        f.clock.advance(Duration.ofSeconds(1));
        s.poll();
        assertThat(runner.runs()).isEqualTo(2);
        assertThat(f.task(t.id()).schedule().nextRunAt())
                .isEqualTo(f.clock.instant().plusSeconds(60));

        runner.failWith = null;
        f.clock.advance(Duration.ofSeconds(60));
        s.poll();
        HeartbeatTask healed = f.task(t.id());
        assertThat(healed.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(healed.state().failures()).isZero();
        assertThat(healed.state().error()).isNull();
    }

    @Test
    void runnerThatThrowsAnUncheckedExceptionFailsTheRunInsteadOfKillingTheScheduler() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.failWith = new IllegalStateException("bug in runner");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();

        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.FAILED);
        assertThat(f.task(t.id()).state().error()).contains("bug in runner");
        assertThat(f.tasks.runs(f.workspace, t.id()).get(0).status()).isEqualTo(HeartbeatRunStatus.FAILED);
    }

    @Test
    void escalatedTaskIsBlockedAndRunsAgainOnlyAfterResume() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.answer = c -> HeartbeatRunResult.of(HeartbeatDecision.ESCALATE, "needs a human");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();
        HeartbeatTask blocked = f.task(t.id());
        assertThat(blocked.state().status()).isEqualTo(HeartbeatTaskStatus.BLOCKED);
        assertThat(blocked.state().needs()).isEqualTo("resume");
        assertThat(blocked.state().result()).isEqualTo("needs a human");

        f.clock.advance(Duration.ofMinutes(5));
        s.poll();
        assertThat(runner.runs()).isEqualTo(1);
        assertThatThrownBy(() -> f.tasks.runNow(f.workspace, t.id()))
                .isInstanceOf(HeartbeatTaskConflictException.class)
                .hasMessageContaining("resume");

        runner.answer = c -> HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "fine again");
        f.tasks.resume(f.workspace, t.id());
        s.changed();
        s.poll();
        assertThat(runner.runs()).isEqualTo(2);
        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(f.tasks.runs(f.workspace, t.id()).get(0).trigger()).isEqualTo("request");
    }

    @Test
    void pausedTaskWaitsForResume() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.answer = c -> HeartbeatRunResult.of(HeartbeatDecision.PAUSE, "waiting for input");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();
        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.WAITING);
        assertThat(f.task(t.id()).state().needs()).isEqualTo("resume");

        f.clock.advance(Duration.ofHours(1));
        s.poll();
        assertThat(runner.runs()).isEqualTo(1);

        f.tasks.resume(f.workspace, t.id());
        s.changed();
        s.poll();
        assertThat(runner.runs()).isEqualTo(2);
    }

    @Test
    void completedTaskNeverRunsAgainUnlessResumed() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        runner.answer = c -> HeartbeatRunResult.of(HeartbeatDecision.COMPLETE, "done");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();
        f.clock.advance(Duration.ofDays(1));
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        HeartbeatTask done = f.task(t.id());
        assertThat(done.state().status()).isEqualTo(HeartbeatTaskStatus.COMPLETE);
        assertThat(done.schedule().nextRunAt()).isNull();
    }

    @Test
    void resumeRefusesTasksThatHoldForNothing() {
        f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);

        assertThatThrownBy(() -> f.tasks.resume(f.workspace, t.id()))
                .isInstanceOf(HeartbeatTaskConflictException.class)
                .hasMessageContaining("nothing to resume");
    }

    @Test
    void runNowRunsOnceAtOnceAndKeepsTheSchedule() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", Duration.ofHours(1));
        WorkspaceScheduler s = f.scheduler("server-a");
        f.clock.advance(Duration.ofMinutes(5));

        f.tasks.runNow(f.workspace, t.id());
        s.changed();
        s.poll();
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        HeartbeatTask after = f.task(t.id());
        assertThat(after.schedule().nextRunAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(after.state().runRequestedAt()).isNull();
        assertThat(f.tasks.runs(f.workspace, t.id()).get(0).trigger()).isEqualTo("request");
    }

    @Test
    void disabledTaskNeverRunsAndRefusesRunNow() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        f.tasks.update(
                f.workspace,
                t.id(),
                new io.heddle.api.heartbeat.HeartbeatTaskPatch(null, null, false, null, null, null, null));
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(Duration.ofHours(1));
        s.poll();

        assertThat(runner.runs()).isZero();
        assertThatThrownBy(() -> f.tasks.runNow(f.workspace, t.id()))
                .isInstanceOf(HeartbeatTaskConflictException.class)
                .hasMessageContaining("disabled");
    }

    @Test
    void liveLeaseOfAnotherServerKeepsTheTaskFromRunningTwice() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor heldA = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = f.scheduler("server-a", heldA);
        WorkspaceScheduler b = f.scheduler("server-b");

        f.clock.advance(MINUTE);
        a.poll(); // claims: lease + running state; the run itself is held
        b.poll();
        f.clock.advance(Duration.ofSeconds(30)); // lease (60 s) still live
        b.poll();
        assertThat(runner.runs()).isZero();
        assertThat(f.store().readLease(t.id()).orElseThrow().owner()).isEqualTo("server-a");

        heldA.runAll();
        b.changed();
        b.poll();

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(f.store().readLease(t.id())).isEmpty();
        assertThat(f.tasks.runs(f.workspace, t.id())).hasSize(1);
    }

    @Test
    void expiredLeaseOfAVanishedServerIsTakenOverAndItsRunRecordedAsInterrupted() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor heldA = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = f.scheduler("server-a", heldA);
        WorkspaceScheduler b = f.scheduler("server-b");

        f.clock.advance(MINUTE);
        a.poll();
        String runOfA = f.task(t.id()).state().lastRunId();
        f.clock.advance(Duration.ofSeconds(61)); // a never renewed: it vanished
        b.poll();

        assertThat(runner.runs()).isEqualTo(1);
        HeartbeatRun abandoned = f.tasks.run(f.workspace, t.id(), runOfA).orElseThrow();
        assertThat(abandoned.status()).isEqualTo(HeartbeatRunStatus.INTERRUPTED);
        assertThat(abandoned.error()).contains("server-a");
        HeartbeatRun taken = f.tasks.runs(f.workspace, t.id()).get(0);
        assertThat(taken.serverId()).isEqualTo("server-b");
        assertThat(taken.status()).isEqualTo(HeartbeatRunStatus.FINISHED);

        // the vanished server comes back and finishes: it may not overwrite the task's newer state
        HeartbeatTask before = f.task(t.id());
        heldA.runAll();
        assertThat(f.task(t.id())).isEqualTo(before);
    }

    @Test
    void taskLeftRunningAfterItsRunHadEndedIsIdleAgainAndTheRunStaysAsRecorded() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler a = f.scheduler("server-a");
        f.clock.advance(MINUTE);
        a.poll();
        HeartbeatRun finished = f.tasks.runs(f.workspace, t.id()).get(0);
        // a power loss lost the task's new state: it reads "running" again, with no lease
        HeartbeatTask done = f.task(t.id());
        f.store()
                .writeTask(TaskTransitions.started(
                        done, finished.id(), done.state().runAt()));

        f.scheduler("server-b").poll();

        HeartbeatTask after = f.task(t.id());
        assertThat(after.state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(after.state().error()).isNull();
        assertThat(f.tasks.run(f.workspace, t.id(), finished.id()).orElseThrow().status())
                .isEqualTo(HeartbeatRunStatus.FINISHED);
        assertThat(runner.runs()).isEqualTo(1);
    }

    @Test
    void leaseOwnerRenewsItsLeaseWhileTheRunLasts() {
        f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor heldA = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = f.scheduler("server-a", heldA);
        WorkspaceScheduler b = f.scheduler("server-b");

        f.clock.advance(MINUTE);
        a.poll();
        for (int i = 0; i < 6; i++) { // two minutes, well past one lease lifetime
            f.clock.advance(Duration.ofSeconds(20));
            a.poll();
            b.poll();
        }

        TaskLease lease = f.store().readLease(t.id()).orElseThrow();
        assertThat(lease.owner()).isEqualTo("server-a");
        assertThat(lease.expiresAt()).isAfter(f.clock.instant());
        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);
    }

    @Test
    void twoSchedulersSharingAWorkspaceRunEachDueTaskExactlyOnce() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        for (int i = 0; i < 6; i++) {
            f.create("script", MINUTE);
        }
        SchedulerFixture.HeldExecutor heldA = new SchedulerFixture.HeldExecutor();
        SchedulerFixture.HeldExecutor heldB = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler a = f.scheduler("server-a", heldA);
        WorkspaceScheduler b = f.scheduler("server-b", heldB);
        f.settings = new SchedulerSettings(
                Duration.ofSeconds(1),
                3,
                50,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));

        f.clock.advance(MINUTE);
        a.poll(); // three slots: claims three
        b.poll(); // claims the other three
        a.poll();
        b.poll();
        heldA.runAll();
        heldB.runAll();
        a.changed();
        b.changed();
        a.poll();
        b.poll();

        assertThat(runner.runs()).isEqualTo(6);
        for (HeartbeatTask t : f.tasks.list(f.workspace)) {
            assertThat(f.tasks.runs(f.workspace, t.id())).hasSize(1);
        }
        assertThat(f.events.stream()
                        .filter(e -> e.topic().equals(HeartbeatEvents.TASK_STARTED))
                        .map(e -> e.props().get("serverId"))
                        .distinct())
                .containsExactlyInAnyOrder("server-a", "server-b");
    }

    @Test
    void historyIsPrunedToTheLimitOldestFirst() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        f.settings = new SchedulerSettings(
                Duration.ofSeconds(1),
                4,
                3,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        HeartbeatTask t = f.create("script", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        for (int i = 0; i < 5; i++) {
            f.clock.advance(MINUTE);
            s.poll();
        }

        assertThat(runner.runs()).isEqualTo(5);
        List<HeartbeatRun> kept = f.tasks.runs(f.workspace, t.id());
        assertThat(kept)
                .extracting(HeartbeatRun::id)
                .containsExactlyElementsOf(List.of(runner.runIds.get(4), runner.runIds.get(3), runner.runIds.get(2)));
    }

    @Test
    void corruptTaskFileIsSetAsideAndTheOtherTasksKeepRunning() throws Exception {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        HeartbeatTask good = f.create("script", MINUTE);
        Path bad = f.store().taskFile("task-broken");
        Files.write(bad, "{\"task\": \"half a reco".getBytes(StandardCharsets.UTF_8));
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(f.task(good.id()).state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(bad).doesNotExist();
        try (Stream<Path> files = Files.list(bad.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("task-broken.json.corrupt-"));
        }
        assertThat(f.setAside).hasSize(1);
        assertThat(f.setAside.get(0)[0]).isEqualTo(bad);
    }

    @Test
    void taskWhoseRunnerIsMissingWaitsAndSaysSoThenRunsWhenTheRunnerAppears() {
        HeartbeatTask t = f.create("later-kind", MINUTE);
        WorkspaceScheduler s = f.scheduler("server-a");

        f.clock.advance(MINUTE);
        s.poll();
        s.poll();
        HeartbeatTask waiting = f.task(t.id());
        assertThat(waiting.state().status()).isEqualTo(HeartbeatTaskStatus.WAITING);
        assertThat(waiting.state().needs()).isEqualTo("runner");
        assertThat(waiting.state().message()).contains("'later-kind'");
        assertThat(f.topics().stream().filter(HeartbeatEvents.TASK_WAITING::equals))
                .hasSize(1);

        SchedulerFixture.ScriptedRunner runner = f.install("later-kind");
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
        assertThat(f.task(t.id()).state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
    }

    @Test
    void aChangeMadeByAnotherProcessIsSeenAtTheNextPollThroughTheRevision() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        WorkspaceScheduler s = f.scheduler("server-a");
        s.poll();

        // another process (a second server) creates a task and asks for a run now
        SchedulerFixture other = f;
        HeartbeatTask t = other.create("script", Duration.ofHours(1));
        other.tasks.runNow(other.workspace, t.id());
        s.poll();

        assertThat(runner.runs()).isEqualTo(1);
    }

    @Test
    void dueTaskBeyondTheFreeSlotsWaitsForASlot() {
        SchedulerFixture.ScriptedRunner runner = f.install("script");
        f.settings = new SchedulerSettings(
                Duration.ofSeconds(1),
                1,
                50,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60));
        HeartbeatTask first = f.create("script", MINUTE);
        HeartbeatTask second = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor held = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler s = f.scheduler("server-a", held);

        f.clock.advance(MINUTE);
        s.poll();
        assertThat(held.queued).hasSize(1);
        long running = Stream.of(first, second)
                .map(t -> f.task(t.id()).state().status())
                .filter(HeartbeatTaskStatus.RUNNING::equals)
                .count();
        assertThat(running).isEqualTo(1); // the other is not marked running while it waits

        held.runAll();
        s.poll();
        held.runAll();
        assertThat(runner.runs()).isEqualTo(2);
    }

    @Test
    void deletedWhileRunningRecordsNothingAndLeavesNoLease() {
        f.install("script");
        HeartbeatTask t = f.create("script", MINUTE);
        SchedulerFixture.HeldExecutor held = new SchedulerFixture.HeldExecutor();
        WorkspaceScheduler s = f.scheduler("server-a", held);
        f.clock.advance(MINUTE);
        s.poll();

        f.tasks.delete(f.workspace, t.id());
        held.runAll();

        assertThat(f.tasks.get(f.workspace, t.id())).isEmpty();
        assertThat(f.store().readLease(t.id())).isEmpty();
        assertThat(f.store().readRuns(t.id())).isEmpty();
    }

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
