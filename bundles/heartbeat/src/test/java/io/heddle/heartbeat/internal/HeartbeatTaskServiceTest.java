package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeartbeatTaskServiceTest extends SchedulerFixtureTestBase {

    @BeforeEach
    void setUp() throws Exception {
        f.runners.add("command", new CommandTaskRunner(), 0, 1);
    }

    private static HeartbeatTaskSpec spec(long intervalMs, String runner, Map<String, Object> config) {
        return new HeartbeatTaskSpec("git status", "keep an eye on the tree", true, null, intervalMs, runner, config);
    }

    private static String fieldOf(Runnable call) {
        try {
            call.run();
        } catch (HeartbeatTaskValidationException e) {
            return e.field();
        }
        throw new AssertionError("no validation error");
    }

    @Test
    void createdTaskIsStoredAndFirstDueOneIntervalLater() {
        HeartbeatTask t =
                f.tasks.create(f.workspace, spec(60_000, "command", Map.of("argv", List.of("git", "status"))));

        assertThat(f.tasks.list(f.workspace)).containsExactly(t);
        assertThat(t.schedule().nextRunAt()).isEqualTo(SchedulerFixture.T0.plusSeconds(60));
        assertThat(f.store().taskFile(t.id())).exists();
    }

    @Test
    void invalidInputNamesTheField() {
        assertThat(fieldOf(() -> f.tasks.create(f.workspace, spec(10, "command", Map.of("argv", List.of("ls"))))))
                .isEqualTo("schedule.intervalMs");
        assertThat(fieldOf(() -> f.tasks.create(f.workspace, spec(60_000, "no/slash", Map.of()))))
                .isEqualTo("runner");
        assertThat(fieldOf(() -> f.tasks.create(f.workspace, spec(60_000, "command", Map.of("argv", List.of())))))
                .isEqualTo("runnerConfig.argv");
        assertThat(fieldOf(() -> f.tasks.create(
                        f.workspace,
                        new HeartbeatTaskSpec(
                                null, " ", true, null, 60_000, "command", Map.of("argv", List.of("ls"))))))
                .isEqualTo("task");
    }

    @Test
    void aRunnerNotInstalledYetAcceptsAnyConfiguration() {
        HeartbeatTask t = f.tasks.create(f.workspace, spec(60_000, "later-kind", Map.of("anything", true)));

        assertThat(t.runnerConfig()).containsEntry("anything", true);
    }

    @Test
    void enablingOrChangingTheIntervalMovesTheNextSlotToOneIntervalFromNow() {
        HeartbeatTask t = f.tasks.create(f.workspace, spec(60_000, "command", Map.of("argv", List.of("ls"))));
        f.clock.advance(Duration.ofSeconds(10));

        HeartbeatTask changed = f.tasks.update(
                f.workspace, t.id(), new HeartbeatTaskPatch(null, null, null, null, 120_000L, null, null));

        assertThat(changed.schedule().nextRunAt()).isEqualTo(SchedulerFixture.T0.plusSeconds(130));
    }

    @Test
    void unknownTasksAreReportedAsMissing() {
        assertThat(f.tasks.get(f.workspace, "task-nope")).isEmpty();
        assertThatThrownBy(() -> f.tasks.runNow(f.workspace, "task-nope")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> f.tasks.delete(f.workspace, "task-nope")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> f.tasks.runs(f.workspace, "task-nope")).isInstanceOf(NoSuchElementException.class);
    }
}
