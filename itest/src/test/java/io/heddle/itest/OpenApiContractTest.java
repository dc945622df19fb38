package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.Test;

/**
 * The contract check can fail: answers that break the repository's OpenAPI document, or a
 * deliberately wrong copy of it, are reported, and conforming answers are not.
 */
public class OpenApiContractTest {

    private static final String HEALTH = "{\"status\":\"ok\",\"serverId\":\"daemon-1-2\"}";
    private final OpenApiContract contract = new OpenApiContract(OpenApiContract.read(OpenApiContract.documentPath()));

    @Test
    public void aConformingAnswerPasses() {
        assertThat(contract.problem("GET", "/api/health", 200, "application/json;charset=utf-8", HEALTH))
                .isEmpty();
        assertThat(contract.problem(
                        "GET",
                        "/api/workspaces/ws-1/heartbeat/tasks/t-1/runs?x=1",
                        404,
                        "application/json",
                        "{\"error\":{\"code\":\"not_found\",\"message\":\"No task t-1.\"}}"))
                .isEmpty();
    }

    @Test
    public void aBodyThatBreaksItsSchemaFails() {
        assertThat(contract.problem("GET", "/api/health", 200, "application/json", "{\"status\":\"fine\"}"))
                .hasValueSatisfying(p -> assertThat(p).contains("serverId").contains("status"));
    }

    @Test
    public void anErrorOutsideTheEnvelopeFails() {
        assertThat(contract.problem("GET", "/api/health", 404, "application/json", "{\"message\":\"gone\"}"))
                .isPresent();
    }

    @Test
    public void anUndocumentedStatusOrMediaTypeFails() {
        assertThat(contract.problem(
                        "POST",
                        "/api/admin/shutdown",
                        200,
                        "application/json",
                        "{\"status\":\"stopping\",\"serverId\":\"s\"}"))
                .hasValueSatisfying(p -> assertThat(p).contains("200"));
        assertThat(contract.problem("GET", "/api/health", 200, "text/plain", "ok"))
                .hasValueSatisfying(p -> assertThat(p).contains("text/plain"));
    }

    @Test
    public void aSuccessOnAnUndocumentedPathFailsButARefusalThereDoesNot() {
        assertThat(contract.problem("GET", "/api/no-such-thing", 200, "application/json", "{}"))
                .hasValueSatisfying(p -> assertThat(p).contains("not in the OpenAPI document"));
        assertThat(contract.problem(
                        "GET",
                        "/api/no-such-thing",
                        404,
                        "application/json",
                        "{\"error\":{\"code\":\"not_found\",\"message\":\"No API endpoint.\"}}"))
                .isEmpty();
    }

    @Test
    public void aDeliberatelyWrongDocumentRejectsTheRealAnswer() {
        ObjectNode wrong = OpenApiContract.read(OpenApiContract.documentPath()).deepCopy();
        ((ObjectNode) wrong.at("/components/schemas/Health/properties/serverId")).put("type", "integer");

        assertThat(new OpenApiContract(wrong).problem("GET", "/api/health", 200, "application/json", HEALTH))
                .hasValueSatisfying(p -> assertThat(p).contains("serverId"));
    }

    @Test
    public void literalPathSegmentsWinOverParameters() {
        assertThat(contract.template("/api/workspaces/active")).contains("/api/workspaces/active");
        assertThat(contract.template("/api/workspaces/ws-1")).contains("/api/workspaces/{workspaceId}");
    }
}
