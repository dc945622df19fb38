package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.heddle.api.heartbeat.ContinuationMode;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatTaskEndpointTest {

    private static Map<String, Object> json(String text) throws Exception {
        return JsonFields.object(JsonTree.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpProblem specProblem(String body) throws Exception {
        return catchThrowableOfType(HttpProblem.class, () -> HeartbeatTaskEndpoint.spec(json(body)));
    }

    @Test
    void aFullCreateBodyBecomesASpec() throws Exception {
        HeartbeatTaskSpec spec = HeartbeatTaskEndpoint.spec(
                json(
                        "{\"name\": \"git\", \"task\": \"watch the tree\","
                                + " \"enabled\": false, \"continuationMode\": \"agent\", \"schedule\": {\"intervalMs\": 60000},"
                                + " \"runner\": \"command\", \"runnerConfig\": {\"argv\": [\"git\", \"status\"], \"timeoutMs\": 5000}}"));

        assertThat(spec.name()).isEqualTo("git");
        assertThat(spec.enabled()).isFalse();
        assertThat(spec.continuationMode()).isEqualTo(ContinuationMode.AGENT);
        assertThat(spec.intervalMs()).isEqualTo(60_000);
        assertThat(spec.runnerConfig()).containsEntry("argv", List.of("git", "status"));
    }

    @Test
    void badCreateBodiesAre400sThatNameTheField() throws Exception {
        assertThat(specProblem("{\"runner\": \"command\", \"schedule\": {\"intervalMs\": 1000}}").field)
                .isEqualTo("task");
        assertThat(specProblem("{\"task\": \"x\", \"schedule\": {\"intervalMs\": 1000}}").field)
                .isEqualTo("runner");
        assertThat(specProblem("{\"task\": \"x\", \"runner\": \"command\"}").field)
                .isEqualTo("schedule");
        assertThat(specProblem("{\"task\": \"x\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": \"soon\"}}")
                        .field)
                .isEqualTo("schedule.intervalMs");
        assertThat(specProblem("{\"task\": \"x\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": 1000},"
                                + " \"enabled\": \"yes\"}")
                        .field)
                .isEqualTo("enabled");
        assertThat(specProblem("{\"task\": \"x\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": 1000},"
                                + " \"runnerConfig\": [1]}")
                        .field)
                .isEqualTo("runnerConfig");
        assertThat(specProblem("{\"task\": \"x\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": 1000},"
                                + " \"continuationMode\": \"robot\"}")
                        .field)
                .isEqualTo("continuationMode");
        HttpProblem unknown =
                specProblem("{\"task\": \"x\", \"runner\": \"command\", \"schedule\": {\"intervalMs\": 1000},"
                        + " \"state\": {\"status\": \"complete\"}}");
        assertThat(unknown.status).isEqualTo(400);
        assertThat(unknown.field).isEqualTo("state");
    }

    @Test
    void patchTakesOnlyWhatItNamesAndNullNameClearsTheName() throws Exception {
        HeartbeatTaskPatch patch = HeartbeatTaskEndpoint.patch(json("{\"enabled\": false, \"name\": null}"));

        assertThat(patch.enabled()).isFalse();
        assertThat(patch.name()).isEmpty();
        assertThat(patch.intervalMs()).isNull();
        assertThat(patch.runnerConfig()).isNull();
    }

    @Test
    void anEmptyPatchIsRefused() throws Exception {
        HttpProblem p = catchThrowableOfType(HttpProblem.class, () -> HeartbeatTaskEndpoint.patch(json("{}")));

        assertThat(p.status).isEqualTo(400);
        assertThat(p.getMessage()).contains("changes nothing");
    }
}
