package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    @Test
    @SuppressWarnings("unchecked")
    void theContractIsOpenApi31AndDescribesEveryBuiltInEndpoint() {
        Map<String, Object> document = OpenApiDocument.core();

        assertThat(document.get("openapi")).isEqualTo("3.1.0");
        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(paths)
                .containsKeys(
                        "/api/health",
                        "/api/runtime-host",
                        "/api/session",
                        "/api/openapi.json",
                        "/api/admin/shutdown",
                        "/api/heartbeat/runners",
                        "/api/workspaces",
                        "/api/workspaces/active",
                        "/api/workspaces/{workspaceId}",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks/{taskId}",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks/{taskId}/run",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks/{taskId}/resume",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks/{taskId}/runs",
                        "/api/workspaces/{workspaceId}/heartbeat/tasks/{taskId}/runs/{runId}",
                        "/api/extensions",
                        "/api/events",
                        "/api/chat/engines",
                        "/api/chat/sessions",
                        "/api/chat/sessions/{sessionId}",
                        "/api/chat/sessions/{sessionId}/lease",
                        "/api/chat/sessions/{sessionId}/cancel",
                        "/api/chat/sessions/{sessionId}/messages",
                        "/api/docs");
        Map<String, Object> schemas =
                (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        assertThat(schemas).containsKey("Error");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExtensionAddsItsPathsAndSchemasButReplacesNoneThatExist() {
        Map<String, Object> document = OpenApiDocument.core();
        Object coreHealth = ((Map<String, Object>) document.get("paths")).get("/api/health");
        Map<String, Object> fragment = Map.of(
                "paths",
                        Map.of(
                                "/api/ext/hello",
                                Map.of("get", Map.of("summary", "hello")),
                                "/api/health",
                                Map.of("get", Map.of("summary", "hijacked"))),
                "components",
                        Map.of(
                                "schemas",
                                Map.of("Hello", Map.of("type", "object"), "Error", Map.of("type", "string"))));

        List<String> skipped = OpenApiDocument.contribute(document, "hello", fragment);

        Map<String, Object> paths = (Map<String, Object>) document.get("paths");
        assertThat(paths).containsKey("/api/ext/hello");
        assertThat(paths.get("/api/health")).isSameAs(coreHealth);
        Map<String, Object> schemas =
                (Map<String, Object>) ((Map<String, Object>) document.get("components")).get("schemas");
        assertThat(schemas.get("Hello")).isEqualTo(Map.of("type", "object"));
        assertThat(schemas.get("Error")).isNotEqualTo(Map.of("type", "string"));
        assertThat(skipped)
                .hasSize(2)
                .anySatisfy(s -> assertThat(s).contains("/api/health"))
                .anySatisfy(s -> assertThat(s).contains("schema Error"));
    }

    @Test
    void aContributionThatIsNotAnObjectIsReportedNotMerged() {
        Map<String, Object> document = OpenApiDocument.core();

        assertThat(OpenApiDocument.contribute(document, "broken", List.of(1, 2)))
                .singleElement()
                .asString()
                .contains("broken");
    }
}
