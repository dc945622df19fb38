package io.heddle.heartbeat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference's task files are read as agent tasks, never set aside, and keep what we do not know. */
class ReferenceTaskFilesTest extends SchedulerFixtureTestBase {

    static final String REFERENCE_TASK = "{\n"
            + "  \"id\": \"hb-1\",\n"
            + "  \"name\": \"Triage\",\n"
            + "  \"task\": \"Triage the new issues and summarise them\",\n"
            + "  \"enabled\": true,\n"
            + "  \"continuationMode\": \"agent\",\n"
            + "  \"schedule\": {\"intervalMs\": 900000, \"nextRunAt\": \"2026-06-01T23:00:00.000Z\", \"jitterMs\": 5},\n"
            + "  \"state\": {\"status\": \"idle\", \"progress\": \"2 of 5\", \"updatedAt\": \"2026-06-01T22:45:00.000Z\","
            + " \"turn\": 3},\n"
            + "  \"model\": \"gpt-4.1\",\n"
            + "  \"maxSteps\": 12,\n"
            + "  \"checkpoint\": {\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"step\": 2}\n"
            + "}\n";

    private Path seed(String id, String json) throws Exception {
        Path file = f.store().taskFile(id);
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    @Test
    void aTaskFileWithoutRunnerIsAnAgentTaskWhoseInstructionIsItsTaskField() throws Exception {
        seed("hb-1", REFERENCE_TASK);

        HeartbeatTask t = f.store().readTask("hb-1").orElseThrow();

        assertThat(t.runner()).isEqualTo(HeartbeatTask.AGENT_RUNNER);
        assertThat(t.task()).isEqualTo("Triage the new issues and summarise them");
        assertThat(t.schedule().intervalMs()).isEqualTo(900_000L);
        assertThat(t.state().progress()).isEqualTo("2 of 5");
        assertThat(t.extraFields()).containsKeys("model", "maxSteps", "checkpoint", "schedule", "state");
        assertThat(f.setAside).isEmpty();
    }

    @Test
    void olderShapesAreMappedAndMissingFieldsDefaulted() throws Exception {
        seed("a", "{\"task\": \"x\", \"schedule\": \"5m\", \"status\": \"blocked\", \"error\": \"boom\"}");
        seed("b", "{\"task\": \"y\", \"intervalMs\": 60000, \"nextRunAt\": \"2026-06-02T00:01:00Z\"}");
        seed("c", "{\"schedule\": \"PT30S\"}");
        seed("d", "{\"task\": \"z\", \"schedule\": \"every now and then\", \"state\": {\"status\": \"waiting\"}}");

        HeartbeatTask a = f.store().readTask("a").orElseThrow();
        HeartbeatTask b = f.store().readTask("b").orElseThrow();
        HeartbeatTask c = f.store().readTask("c").orElseThrow();
        HeartbeatTask d = f.store().readTask("d").orElseThrow();

        assertThat(a.schedule().intervalMs()).isEqualTo(300_000L);
        assertThat(a.state().status()).isEqualTo(HeartbeatTaskStatus.BLOCKED);
        assertThat(a.state().error()).isEqualTo("boom");
        assertThat(a.extraFields()).isEmpty();
        assertThat(b.schedule().intervalMs()).isEqualTo(60_000L);
        assertThat(b.schedule().nextRunAt()).isEqualTo(SchedulerFixture.T0.plusSeconds(60));
        assertThat(b.extraFields()).isEmpty();
        assertThat(c.task()).isEmpty();
        assertThat(c.schedule().intervalMs()).isEqualTo(30_000L);
        assertThat(d.schedule().intervalMs()).isEqualTo(TaskCodec.DEFAULT_INTERVAL_MS);
        assertThat(d.state().needs()).isEqualTo(HeartbeatTaskState.NEEDS_RESUME);
        assertThat(f.setAside).isEmpty();
    }

    @Test
    void unknownFieldsSurviveARewriteAsEquivalentJson() throws Exception {
        Path file = seed("hb-1", REFERENCE_TASK);

        f.tasks.update(f.workspace, "hb-1", new HeartbeatTaskPatch("Triage daily", null, null, null, null, null, null));

        Map<String, Object> before = JsonFields_object(REFERENCE_TASK.getBytes(StandardCharsets.UTF_8));
        Map<String, Object> after = JsonFields_object(Files.readAllBytes(file));
        assertThat(after.get("name")).isEqualTo("Triage daily");
        assertThat(after.get("model")).isEqualTo(before.get("model"));
        assertThat(after.get("maxSteps")).isEqualTo(before.get("maxSteps"));
        assertThat(after.get("checkpoint")).isEqualTo(before.get("checkpoint"));
        assertThat(obj(after.get("schedule")).get("jitterMs")).isEqualTo(5L);
        assertThat(obj(after.get("state")).get("turn")).isEqualTo(3L);
        assertThat(obj(after.get("state")).get("progress")).isEqualTo("2 of 5");
        assertThat(after.get("runner")).isEqualTo("agent");
        // read again, written again: nothing is lost or doubled
        f.tasks.update(f.workspace, "hb-1", new HeartbeatTaskPatch("Triage", null, null, null, null, null, null));
        Map<String, Object> again = JsonFields_object(Files.readAllBytes(file));
        again.put("name", after.get("name"));
        again.put("updatedAt", after.get("updatedAt"));
        assertThat(again).isEqualTo(after);
    }

    @Test
    void withoutAnAgentRunnerTheTaskIsShownWaitingAndNeitherRunNorRewritten() throws Exception {
        Path file = seed("hb-1", REFERENCE_TASK);
        byte[] bytes = Files.readAllBytes(file);
        f.install("command");
        f.clock.advance(Duration.ofHours(2)); // long past its nextRunAt

        WorkspaceScheduler scheduler = f.scheduler("server-a");
        scheduler.poll();
        scheduler.poll();

        HeartbeatTask shown = f.task("hb-1");
        assertThat(shown.state().status()).isEqualTo(HeartbeatTaskStatus.WAITING);
        assertThat(shown.state().needs()).isEqualTo(HeartbeatTaskState.NEEDS_RUNNER);
        assertThat(shown.state().message()).contains("'agent'");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(f.store().readRuns("hb-1")).isEmpty();
        assertThat(f.topics()).containsOnlyOnce(HeartbeatEvents.TASK_WAITING);
        assertThat(f.setAside).isEmpty();
    }

    @Test
    void onceAnAgentRunnerIsInstalledTheTaskRunsWithItsInstruction() throws Exception {
        seed("hb-1", REFERENCE_TASK);
        SchedulerFixture.ScriptedRunner agent = f.install("agent");
        f.clock.advance(Duration.ofHours(2));

        f.scheduler("server-a").poll();

        assertThat(agent.runs()).isEqualTo(1);
        Map<String, Object> after =
                JsonFields_object(Files.readAllBytes(f.store().taskFile("hb-1")));
        assertThat(after.get("model")).isEqualTo("gpt-4.1");
    }

    private static Map<String, Object> JsonFields_object(byte[] bytes) throws Exception {
        return obj(JsonTree.parse(bytes));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }
}
