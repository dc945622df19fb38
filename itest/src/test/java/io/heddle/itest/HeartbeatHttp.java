package io.heddle.itest;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.itest.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls one server's HTTP API the way a CLI does: JSON in and out, the token on mutating calls. */
final class HeartbeatHttp {

    /** One answer: status and parsed JSON body. */
    record Answer(int status, String body) {
        Map<String, Object> json() {
            return Json.object(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ServerHandle server;

    HeartbeatHttp(ServerHandle server) {
        this.server = server;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), false);
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                true);
    }

    Answer postWithoutToken(String path, String json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                false);
    }

    Answer patch(String path, String json) throws IOException, InterruptedException {
        return send(
                HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(json)),
                true);
    }

    Answer delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), true);
    }

    private URI uri(String path) {
        return URI.create(server.endpointUrl() + path);
    }

    private Answer send(HttpRequest.Builder builder, boolean withToken) throws IOException, InterruptedException {
        if (withToken) {
            builder.header("Authorization", "Bearer " + server.token());
        }
        HttpRequest request = builder.timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check(request, response);
        return new Answer(response.statusCode(), response.body());
    }

    /** The id of the server's own workspace (the catalog's active one). */
    String activeWorkspaceId() throws IOException, InterruptedException {
        return (String) get("/api/workspaces").json().get("activeWorkspaceId");
    }
}
