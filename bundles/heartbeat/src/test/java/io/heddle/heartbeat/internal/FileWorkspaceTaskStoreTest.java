package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The task store SPI on real files, with a clock the test moves: claims, leases, fencing, recovery. */
class FileWorkspaceTaskStoreTest {

    private static final Duration TTL = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private SchedulerFixture f;
    private FileWorkspaceTaskStore store;

    @BeforeEach
    void setUp() throws Exception {
        f = new SchedulerFixture(dir);
        store = f.fileStore.workspace(f.taskWorkspace());
    }

    /** A task whose slot has come. */
    private HeartbeatTask dueTask() {
        HeartbeatTask t = f.create("script", Duration.ofMinutes(1));
        f.clock.advance(Duration.ofMinutes(1));
        return t;
    }

    private Optional<TaskClaim> claim(String server, HeartbeatTask t) {
        Instant now = f.clock.instant();
        String runId = TaskIds.newRunId(now);
        return store.claim(
                new ClaimRequest(t.id(), TaskTransitions.dueAt(t), server, runId, TTL),
                fresh -> TaskTransitions.due(fresh, now) ? TaskTransitions.started(fresh, runId, now) : null);
    }

    private static HeartbeatRun started(TaskClaim c) {
        return new HeartbeatRun(
                c.lease().runId(),
                c.lease().taskId(),
                "ws-test",
                c.lease().owner(),
                "script",
                "schedule",
                c.lease().dueAt(),
                c.lease().acquiredAt(),
                null,
                HeartbeatRunStatus.RUNNING,
                null,
                null,
                null,
                null);
    }

    private static HeartbeatRun finished(TaskClaim c, Instant at) {
        return new HeartbeatRun(
                c.lease().runId(),
                c.lease().taskId(),
                "ws-test",
                c.lease().owner(),
                "script",
                "schedule",
                c.lease().dueAt(),
                c.lease().acquiredAt(),
                at,
                HeartbeatRunStatus.FINISHED,
                null,
                "done",
                null,
                null);
    }

    @Test
    void aDueOccurrenceIsClaimedOnceWithALeaseTimedByTheStoreClock() {
        HeartbeatTask t = dueTask();

        TaskClaim a = claim("server-a", t).orElseThrow();

        assertThat(a.task().state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);
        assertThat(a.lease().owner()).isEqualTo("server-a");
        assertThat(a.lease().dueAt()).isEqualTo(t.schedule().nextRunAt());
        assertThat(a.lease().expiresAt()).isEqualTo(f.clock.instant().plus(TTL));
        assertThat(a.lease().fencingToken()).isEqualTo(f.clock.instant().toEpochMilli());
        assertThat(f.store().readLease(t.id()))
                .get()
                .extracting(TaskLease::runId)
                .isEqualTo(a.lease().runId());
        assertThat(claim("server-b", t)).isEmpty();
        assertThat(claim("server-a", t)).isEmpty(); // running: not even its holder claims it twice
    }

    @Test
    void aClaimForAnOccurrenceThatIsNoLongerTheTasksDueOneIsRefused() {
        HeartbeatTask seen = dueTask(); // a server read the task with this slot
        TaskClaim a = claim("server-a", seen).orElseThrow();
        store.started(a.lease(), started(a));
        store.complete(
                a.lease(),
                finished(a, f.clock.instant()),
                task -> TaskTransitions.interrupted(task, null, null, f.clock.instant())
                        .withSchedule(new io.heddle.api.heartbeat.HeartbeatSchedule(
                                task.schedule().intervalMs(), f.clock.instant().minusSeconds(1))));
        // the task is due again, at another slot: a claim for the slot read before is stale
        String revision = store.revision();

        assertThat(claim("server-b", seen)).isEmpty();

        assertThat(store.revision()).isEqualTo(revision);
        assertThat(claim("server-b", store.get(seen.id()).orElseThrow()))
                .as("the occurrence the task shows now")
                .isPresent();
    }

    @Test
    void aClaimWhoseStartFindsTheTaskNotDueWritesNothing() {
        HeartbeatTask t = f.create("script", Duration.ofMinutes(1)); // its slot is a minute away
        String revision = store.revision();

        assertThat(claim("server-a", t)).isEmpty();

        assertThat(store.revision()).isEqualTo(revision);
        assertThat(f.store().readLease(t.id())).isEmpty();
        assertThat(store.get(t.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
    }

    @Test
    void theHolderCompletesItsRunAndReleasesTheLease() {
        HeartbeatTask t = dueTask();
        TaskClaim a = claim("server-a", t).orElseThrow();
        store.started(a.lease(), started(a));
        f.clock.advance(Duration.ofSeconds(5));

        Completion done = store.complete(
                a.lease(),
                finished(a, f.clock.instant()),
                task -> TaskTransitions.interrupted(task, null, null, f.clock.instant()));

        assertThat(done.result()).isEqualTo(Completion.Result.APPLIED);
        assertThat(done.runNotRecorded()).isNull();
        assertThat(done.task().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(store.get(t.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(store.run(t.id(), a.lease().runId()))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.FINISHED);
        assertThat(f.store().readLease(t.id())).isEmpty();
    }

    @Test
    void aLateHolderIsSupersededItsRunRecordedAsSuchAndTheNewHoldersStateKept() {
        HeartbeatTask t = dueTask();
        TaskClaim a = claim("server-a", t).orElseThrow();
        f.clock.advance(TTL.plusSeconds(1)); // server-a stopped renewing

        Optional<WorkspaceTaskStore.Recovered> recovered = store.recover(
                t.id(),
                "server-b",
                (task, lapsed, run) -> new WorkspaceTaskStore.Recovered(
                        TaskTransitions.interrupted(task, "gone: " + lapsed.owner(), null, f.clock.instant()), null));
        assertThat(recovered).isPresent();
        TaskClaim b = claim("server-b", recovered.get().task()).orElseThrow();
        assertThat(b.lease().fencingToken()).isGreaterThan(a.lease().fencingToken());

        assertThat(store.renew(a.lease(), TTL)).isEmpty(); // server-a learns it lost the task
        Completion late = store.complete(a.lease(), finished(a, f.clock.instant()), task -> {
            throw new AssertionError("a superseded outcome must not be applied");
        });

        assertThat(late.result()).isEqualTo(Completion.Result.SUPERSEDED);
        assertThat(late.task().state().lastRunId()).isEqualTo(b.lease().runId());
        assertThat(store.get(t.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);
        assertThat(store.run(t.id(), a.lease().runId()))
                .get()
                .extracting(HeartbeatRun::status)
                .isEqualTo(HeartbeatRunStatus.SUPERSEDED);
        assertThat(f.store().readLease(t.id()))
                .get()
                .extracting(TaskLease::owner)
                .isEqualTo("server-b");
    }

    @Test
    void renewalExtendsTheLeaseFromTheStoreClockWhileTheHolderRuns() {
        HeartbeatTask t = dueTask();
        TaskClaim a = claim("server-a", t).orElseThrow();
        f.clock.advance(Duration.ofSeconds(20));

        HeartbeatLease renewed = store.renew(a.lease(), TTL).orElseThrow();

        assertThat(renewed.expiresAt()).isEqualTo(f.clock.instant().plus(TTL));
        assertThat(renewed.fencingToken()).isEqualTo(a.lease().fencingToken());
        assertThat(f.store().readLease(t.id()))
                .get()
                .extracting(TaskLease::expiresAt)
                .isEqualTo(renewed.expiresAt());
    }

    @Test
    void aLiveLeaseOfAnotherServerIsNotRecoveredButTheRecoverersOwnLeftoverIs() {
        HeartbeatTask t = dueTask();
        claim("server-a", t).orElseThrow();
        WorkspaceTaskStore.Recovery idle = (task, lapsed, run) -> new WorkspaceTaskStore.Recovered(
                TaskTransitions.interrupted(task, "recovered", null, f.clock.instant()), null);

        assertThat(store.recover(t.id(), "server-b", idle)).isEmpty();
        assertThat(store.get(t.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.RUNNING);

        // server-a restarted: it runs nothing, so its own unexpired lease is a leftover
        assertThat(store.recover(t.id(), "server-a", idle)).isPresent();
        assertThat(store.get(t.id()).orElseThrow().state().status()).isEqualTo(HeartbeatTaskStatus.IDLE);
        assertThat(f.store().readLease(t.id())).isEmpty();
    }

    @Test
    void completingARunOfATaskDeletedMeanwhileRecordsNothing() {
        HeartbeatTask t = dueTask();
        TaskClaim a = claim("server-a", t).orElseThrow();
        store.started(a.lease(), started(a));
        assertThat(store.delete(t.id())).isTrue();

        Completion done = store.complete(a.lease(), finished(a, f.clock.instant()), task -> task);

        assertThat(done.result()).isEqualTo(Completion.Result.TASK_DELETED);
        assertThat(store.runs(t.id())).isEmpty();
        assertThat(Files.exists(f.store().runFile(t.id(), a.lease().runId()).getParent()))
                .isFalse();
    }

    @Test
    void anUpdateThatAnswersTheSameTaskWritesNothingAndCreateRefusesATakenId() {
        HeartbeatTask t =
                store.get(f.create("script", Duration.ofMinutes(1)).id()).orElseThrow();
        String revision = store.revision();

        assertThat(store.update(t.id(), task -> task)).contains(t);
        assertThat(store.revision()).isEqualTo(revision);
        assertThat(store.update("no-such-task", task -> task)).isEmpty();
        assertThatThrownBy(() -> store.create(t)).isInstanceOf(HeartbeatTaskConflictException.class);
    }

    @Test
    void listReadsAgainOnlyTheTaskFilesThatChanged() throws Exception {
        HeartbeatTask one = f.create("script", Duration.ofMinutes(1));
        HeartbeatTask two = f.create("script", Duration.ofMinutes(2));
        HeartbeatTask firstOne = store.list().stream()
                .filter(x -> x.id().equals(one.id()))
                .findFirst()
                .orElseThrow();
        HeartbeatTask firstTwo = store.list().stream()
                .filter(x -> x.id().equals(two.id()))
                .findFirst()
                .orElseThrow();

        store.update(two.id(), task -> task.withUpdatedAt(task.updatedAt().plusSeconds(1)));

        assertThat(store.list())
                .anySatisfy(x -> assertThat(x).isSameAs(firstOne))
                .anySatisfy(x -> assertThat(x.id()).isEqualTo(two.id()))
                .noneSatisfy(x -> assertThat(x).isSameAs(firstTwo));
    }
}
