package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import io.heddle.itest.support.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandTaskRunnerTest {

    @TempDir
    Path workspace;

    private final CommandTaskRunner runner = new CommandTaskRunner();

    private HeartbeatRunContext context(Map<String, Object> config) {
        HeartbeatTask task = new HeartbeatTask(
                "task-1",
                null,
                "run a command",
                true,
                null,
                "command",
                config,
                new HeartbeatSchedule(60_000, null),
                HeartbeatTaskState.created(Instant.EPOCH),
                Instant.EPOCH,
                Instant.EPOCH);
        return new HeartbeatRunContext() {
            public String serverId() {
                return "server-a";
            }

            public String workspaceId() {
                return "ws-1";
            }

            public Path workspaceRoot() {
                return workspace;
            }

            public Path stateRoot() {
                return workspace.resolve(".heddle");
            }

            public HeartbeatTask task() {
                return task;
            }

            public String runId() {
                return "run-1";
            }

            public void progress(String message) {}

            public boolean cancelled() {
                return false;
            }
        };
    }

    @Test
    void exitZeroContinuesAndKeepsStdoutRunningInTheWorkspaceRoot() throws Exception {
        Files.writeString(workspace.resolve("marker.txt"), "here");

        HeartbeatRunResult result = runner.run(context(Map.of("argv", List.of("ls"))));

        assertThat(result.decision()).isEqualTo(HeartbeatDecision.CONTINUE);
        assertThat(result.details()).containsEntry("exitCode", 0).containsEntry("timedOut", false);
        assertThat((String) result.details().get("stdoutTail")).contains("marker.txt");
    }

    @Test
    void argumentsReachTheProgramVerbatimWithoutAShell() throws Exception {
        HeartbeatRunResult result = runner.run(context(Map.of("argv", List.of("echo", "$HOME; rm -rf *"))));

        assertThat((String) result.details().get("stdoutTail")).isEqualTo("$HOME; rm -rf *\n");
    }

    @Test
    void nonZeroExitEscalatesWithTheExitCodeAndStderr() throws Exception {
        HeartbeatRunResult result = runner.run(context(Map.of("argv", List.of("sh", "-c", "echo broken >&2; exit 3"))));

        assertThat(result.decision()).isEqualTo(HeartbeatDecision.ESCALATE);
        assertThat(result.details()).containsEntry("exitCode", 3);
        assertThat((String) result.details().get("stderrTail")).isEqualTo("broken\n");
        assertThat(result.summary()).contains("exited with 3").contains("broken");
    }

    @Test
    void outputIsKeptAsA64KiBTail() throws Exception {
        HeartbeatRunResult result = runner.run(
                context(
                        Map.of(
                                "argv",
                                List.of(
                                        "sh",
                                        "-c",
                                        "i=0; while [ $i -lt 3000 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done"))));

        String tail = (String) result.details().get("stdoutTail");
        assertThat(tail.length()).isEqualTo(CommandTaskRunner.TAIL_BYTES);
        assertThat(tail)
                .endsWith("line-2999-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n")
                .doesNotContain("line-0-");
        assertThat(result.details()).containsEntry("stdoutTruncated", true);
        assertThat((Long) result.details().get("stdoutBytes")).isGreaterThan(CommandTaskRunner.TAIL_BYTES);
    }

    @Test
    void timeoutKillsTheProcessAndItsDescendantsAndFailsTheRun() {
        AtomicReference<HeartbeatRunException> thrown = new AtomicReference<>();
        long started = System.nanoTime();
        assertThatThrownBy(() -> runner.run(
                        context(Map.of("argv", List.of("sh", "-c", "sleep 60 & echo $!; wait"), "timeoutMs", 500))))
                .isInstanceOfSatisfying(HeartbeatRunException.class, thrown::set)
                .hasMessageContaining("timed out after 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));

        Map<String, Object> details = thrown.get().details();
        assertThat(details).containsEntry("timedOut", true);
        long child = Long.parseLong(((String) details.get("stdoutTail")).trim());
        Poll.until(
                "the background child is killed",
                () -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void programThatCannotStartFailsTheRunAndNamesIt() {
        assertThatThrownBy(() -> runner.run(context(Map.of("argv", List.of("no-such-program-heddle")))))
                .isInstanceOf(HeartbeatRunException.class)
                .hasMessageContaining("no-such-program-heddle");
    }

    @Test
    void validationNamesTheBadField() {
        assertThatThrownBy(() -> runner.validate(Map.of()))
                .isInstanceOfSatisfying(
                        HeartbeatTaskValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("runnerConfig.argv"));
        assertThatThrownBy(() -> runner.validate(Map.of("argv", List.of(""))))
                .isInstanceOfSatisfying(
                        HeartbeatTaskValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("runnerConfig.argv"));
        assertThatThrownBy(() -> runner.validate(Map.of("argv", List.of("git", 3L))))
                .isInstanceOfSatisfying(
                        HeartbeatTaskValidationException.class,
                        e -> assertThat(e.getMessage()).contains("item 1"));
        assertThatThrownBy(() -> runner.validate(Map.of("argv", List.of("git"), "timeoutMs", 0L)))
                .isInstanceOfSatisfying(
                        HeartbeatTaskValidationException.class,
                        e -> assertThat(e.field()).isEqualTo("runnerConfig.timeoutMs"));
        assertThatThrownBy(() -> runner.validate(Map.of("argv", List.of("git"), "timeoutMs", "soon")))
                .isInstanceOf(HeartbeatTaskValidationException.class);
        runner.validate(Map.of("argv", List.of("git", "status", "--short"), "timeoutMs", 60_000L));
    }
}
