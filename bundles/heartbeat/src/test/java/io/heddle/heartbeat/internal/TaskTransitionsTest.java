package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskTransitionsTest {

    private static final Instant T0 = Instant.parse("2026-06-02T00:00:00Z");

    private static HeartbeatTask task(
            boolean enabled, HeartbeatTaskStatus status, String needs, Instant nextRunAt, Instant requestedAt) {
        return new HeartbeatTask(
                "task-1",
                null,
                "x",
                enabled,
                null,
                "command",
                Map.of(),
                new HeartbeatSchedule(60_000, nextRunAt),
                new HeartbeatTaskState(status, null, null, null, null, T0, needs, null, 0, null, requestedAt),
                T0,
                T0);
    }

    @Test
    void idleTaskIsDueAtItsSlot() {
        HeartbeatTask t = task(true, HeartbeatTaskStatus.IDLE, null, T0.plusSeconds(60), null);

        assertThat(TaskTransitions.dueAt(t)).isEqualTo(T0.plusSeconds(60));
        assertThat(TaskTransitions.due(t, T0.plusSeconds(59))).isFalse();
        assertThat(TaskTransitions.due(t, T0.plusSeconds(60))).isTrue();
    }

    @Test
    void aRunRequestMakesATaskDueBeforeItsSlot() {
        HeartbeatTask t = task(true, HeartbeatTaskStatus.IDLE, null, T0.plusSeconds(600), T0.plusSeconds(5));

        assertThat(TaskTransitions.dueAt(t)).isEqualTo(T0.plusSeconds(5));
        assertThat(TaskTransitions.trigger(t)).isEqualTo("request");
    }

    @Test
    void onlyIdleFailedOrRunnerWaitingEnabledTasksAreEverDue() {
        Instant slot = T0;
        assertThat(TaskTransitions.dueAt(task(false, HeartbeatTaskStatus.IDLE, null, slot, null)))
                .isNull();
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.FAILED, null, slot, null)))
                .isEqualTo(slot);
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.WAITING, "runner", slot, null)))
                .isEqualTo(slot);
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.WAITING, "resume", slot, slot)))
                .isNull();
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.BLOCKED, "resume", slot, slot)))
                .isNull();
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.COMPLETE, null, slot, slot)))
                .isNull();
        assertThat(TaskTransitions.dueAt(task(true, HeartbeatTaskStatus.RUNNING, null, slot, slot)))
                .isNull();
    }

    @Test
    void nextSlotSkipsEveryMissedSlotAndKeepsThePhase() {
        assertThat(TaskTransitions.nextSlot(T0, 60_000, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(60));
        assertThat(TaskTransitions.nextSlot(T0, 60_000, T0.plusSeconds(60))).isEqualTo(T0.plusSeconds(120));
        assertThat(TaskTransitions.nextSlot(
                        T0, 60_000, T0.plus(Duration.ofHours(5)).plusSeconds(7)))
                .isEqualTo(T0.plus(Duration.ofHours(5)).plusSeconds(60));
        // a requested run before the slot leaves the slot alone
        assertThat(TaskTransitions.nextSlot(T0.plusSeconds(600), 60_000, T0)).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void backoffDoublesPerFailureUpToTheCap() {
        Duration base = Duration.ofSeconds(30);
        Duration max = Duration.ofMinutes(5);

        assertThat(TaskTransitions.backoff(1, base, max)).isEqualTo(Duration.ofSeconds(30));
        assertThat(TaskTransitions.backoff(2, base, max)).isEqualTo(Duration.ofSeconds(60));
        assertThat(TaskTransitions.backoff(4, base, max)).isEqualTo(Duration.ofSeconds(240));
        assertThat(TaskTransitions.backoff(5, base, max)).isEqualTo(max);
        assertThat(TaskTransitions.backoff(500, base, max)).isEqualTo(max);
    }
}
