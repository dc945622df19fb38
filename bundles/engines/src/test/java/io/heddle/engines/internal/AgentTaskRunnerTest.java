package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatReplyStream;
import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunException;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentTaskRunnerTest {

    private static final Instant T = Instant.parse("2026-06-02T10:00:00Z");
    private final AgentTaskRunner runner = new AgentTaskRunner();
    private final List<ChatConversation> asked = new ArrayList<>();

    interface Body {
        void reply(ChatReplyStream reply) throws ChatEngineException;
    }

    private ChatEngine engine(String name, Body body) {
        return new ChatEngine() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException {
                asked.add(conversation);
                body.reply(reply);
            }
        };
    }

    private void add(ChatEngine engine, int ranking, long id) {
        runner.addEngine(engine, Map.of("service.ranking", ranking, "service.id", id));
    }

    private static HeartbeatRunContext context(Map<String, Object> runnerConfig) {
        HeartbeatTask task = new HeartbeatTask(
                "task-1",
                "watch the build",
                "Check whether main is green.",
                true,
                null,
                "agent",
                runnerConfig,
                new HeartbeatSchedule(60_000, T),
                HeartbeatTaskState.created(T),
                T,
                T);
        return new HeartbeatRunContext() {
            @Override
            public String serverId() {
                return "daemon-1";
            }

            @Override
            public String workspaceId() {
                return "ws-1";
            }

            @Override
            public Path workspaceRoot() {
                return Path.of("/tmp");
            }

            @Override
            public Path stateRoot() {
                return Path.of("/tmp/.heddle");
            }

            @Override
            public HeartbeatTask task() {
                return task;
            }

            @Override
            public String runId() {
                return "run-1";
            }

            @Override
            public void progress(String message) {}

            @Override
            public boolean cancelled() {
                return false;
            }
        };
    }

    @Test
    void theModelsDecisionLineBecomesTheRunsDecisionAndItsReplyTheOutput() throws Exception {
        add(
                engine("local", r -> {
                    r.chunk("Main is green.\n");
                    r.chunk("DECISION: complete - the build is green");
                }),
                0,
                1);

        HeartbeatRunResult result = runner.run(context(Map.of()));

        assertThat(result.decision()).isEqualTo(HeartbeatDecision.COMPLETE);
        assertThat(result.summary()).isEqualTo("complete: the build is green");
        assertThat(result.details())
                .containsEntry("engine", "local")
                .containsEntry("output", "Main is green.\nDECISION: complete - the build is green")
                .containsEntry("reason", "the build is green")
                .containsEntry("outputTruncated", false);
        String prompt = asked.get(0).lastMessage().text();
        assertThat(prompt)
                .contains(
                        "Task: watch the build (id task-1)",
                        "Check whether main is green.",
                        "Previous runs: none",
                        AgentDecisionLine.FORMAT);
    }

    @Test
    void theNamedEngineAnswersElseTheHighestRanked() throws Exception {
        add(engine("low", r -> r.chunk("DECISION: pause")), 1, 1);
        add(engine("high", r -> r.chunk("DECISION: escalate - disk full")), 5, 2);

        assertThat(runner.run(context(Map.of())).decision()).isEqualTo(HeartbeatDecision.ESCALATE);
        assertThat(runner.run(context(Map.of("engine", "low"))).decision()).isEqualTo(HeartbeatDecision.PAUSE);
    }

    @Test
    void aReplyWithoutADecisionIsAFailedRunThatKeepsTheReply() {
        add(engine("local", r -> r.chunk("I looked, and it seems fine.")), 0, 1);

        assertThatThrownBy(() -> runner.run(context(Map.of())))
                .isInstanceOf(HeartbeatRunException.class)
                .hasMessageContaining("does not end with a decision line")
                .satisfies(e -> assertThat(((HeartbeatRunException) e).details())
                        .containsEntry("output", "I looked, and it seems fine."));
    }

    @Test
    void aMissingOrFailingEngineIsAFailedRunThatSaysWhich() {
        assertThatThrownBy(() -> runner.run(context(Map.of()))).hasMessageContaining("no chat engine is configured");
        add(
                engine("local", r -> {
                    r.chunk("half");
                    throw new ChatEngineException("the server failed (500): try again later.");
                }),
                0,
                1);
        assertThatThrownBy(() -> runner.run(context(Map.of("engine", "claude"))))
                .hasMessageContaining("no chat engine named 'claude'")
                .hasMessageContaining("configured: local");
        assertThatThrownBy(() -> runner.run(context(Map.of())))
                .isInstanceOf(HeartbeatRunException.class)
                .hasMessageContaining("the chat engine 'local' failed: the server failed (500)")
                .satisfies(
                        e -> assertThat(((HeartbeatRunException) e).details()).containsEntry("output", "half"));
    }

    @Test
    void anUnusableEngineIsNotAsked() {
        runner.addEngine(
                new ChatEngine() {
                    @Override
                    public String name() {
                        return "broken";
                    }

                    @Override
                    public Optional<String> problem() {
                        return Optional.of("the key file /k can be read by others");
                    }

                    @Override
                    public void reply(ChatConversation conversation, ChatReplyStream reply) {
                        throw new AssertionError("asked");
                    }
                },
                Map.of());

        assertThatThrownBy(() -> runner.run(context(Map.of())))
                .hasMessageContaining("is not usable")
                .hasMessageContaining("can be read by others");
    }

    @Test
    void runnerConfigEngineMustBeAName() {
        runner.validate(Map.of("engine", "claude"));
        runner.validate(Map.of());
        assertThatThrownBy(() -> runner.validate(Map.of("engine", 3)))
                .isInstanceOf(HeartbeatTaskValidationException.class)
                .hasMessageContaining("runnerConfig.engine");
        assertThatThrownBy(() -> runner.validate(Map.of("engine", "a b")))
                .isInstanceOf(HeartbeatTaskValidationException.class);
    }

    @Test
    void thePromptSummarisesPreviousRunsNewestFirst() {
        String prompt = AgentTaskRunner.prompt(
                context(Map.of()).task(),
                List.of(
                        "2026-06-02T09:30:00.000Z finished, decided continue: still red",
                        "2026-06-02T09:00:00.000Z failed"));
        assertThat(prompt)
                .contains("Previous runs (newest first):\n- 2026-06-02T09:30:00.000Z finished, decided "
                        + "continue: still red\n- 2026-06-02T09:00:00.000Z failed\n");
    }
}
