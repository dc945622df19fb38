package io.heddle.launcher;

import io.heddle.api.registry.ServerRecord;
import io.heddle.storage.internal.JsonTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An authenticated client of the live server's HTTP API (found by {@link LiveServerLookup}):
 * JSON in and out as trees ({@link JsonTree}). A refusal of the server ({@code 4xx}/{@code 5xx}
 * with the JSON error shape) becomes a {@link CommandFailure} whose one line is the server's own
 * message; a server that does not answer, one that names the endpoint and says what to do.
 */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final ServerRecord server;
    private final String token;
    private final String base;

    ApiClient(ServerRecord server, String token) {
        this.server = server;
        this.token = token;
        String host = PortProbe.connectableHost(server.host());
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        this.base = "http://" + literal + ":" + server.port();
    }

    ServerRecord server() {
        return server;
    }

    /** One path segment, percent-encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code GET path}: the answer's JSON object. */
    Map<String, Object> get(String path) {
        return object(send("GET", path, null));
    }

    /** A call with a JSON body (or none when {@code body} is null); the answer's JSON (null for 204). */
    Object send(String method, String path, Object body) {
        byte[] answer;
        int status;
        if (method.equals("PATCH")) {
            // HttpURLConnection cannot send PATCH; the JDK's HTTP client (slower to start) can
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Authorization", "Bearer " + token)
                    .timeout(READ_TIMEOUT)
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json; charset=utf-8")
                    .method(
                            method,
                            HttpRequest.BodyPublishers.ofString(JsonTree.writeCompact(body), StandardCharsets.UTF_8));
            HttpResponse<byte[]> response;
            try {
                response = HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw notAnswering(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CommandFailure.runtime(
                        "Interrupted while waiting for the server at " + server.endpointUrl() + ".", e);
            }
            status = response.statusCode();
            answer = response.body();
        } else {
            HttpURLConnection c = null;
            try {
                c = open(path, (int) READ_TIMEOUT.toMillis());
                c.setRequestMethod(method);
                c.setRequestProperty("Accept", "application/json");
                if (body != null) {
                    byte[] bytes = JsonTree.writeCompact(body).getBytes(StandardCharsets.UTF_8);
                    c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
                    c.setFixedLengthStreamingMode(bytes.length);
                    c.setDoOutput(true);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write(bytes);
                    }
                } else if (!method.equals("GET")) {
                    c.setFixedLengthStreamingMode(0);
                    c.setDoOutput(true);
                    c.getOutputStream().close();
                }
                status = c.getResponseCode();
                try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                    answer = in == null ? new byte[0] : in.readAllBytes();
                }
            } catch (IOException e) {
                throw notAnswering(e);
            } finally {
                if (c != null) {
                    c.disconnect();
                }
            }
        }
        if (status >= 400) {
            throw refusal(method, path, status, answer);
        }
        if (status == 204 || answer.length == 0) {
            return null;
        }
        try {
            return JsonTree.parse(answer);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "The server at " + server.endpointUrl() + " answered " + method + " " + path
                            + " with something that is not JSON (" + e.getMessage()
                            + "). Run again with HEDDLE_DEBUG=1,"
                            + " and report it.",
                    e);
        }
    }

    /**
     * Reads a text stream ({@code text/event-stream}) line by line until {@code line} answers
     * false or the server ends it; no read timeout.
     */
    void stream(String path, Predicate<String> line) {
        HttpURLConnection c = null;
        try {
            c = open(path, 0);
            c.setRequestProperty("Accept", "text/event-stream");
            int status = c.getResponseCode();
            if (status >= 400) {
                byte[] body;
                try (InputStream in = c.getErrorStream()) {
                    body = in == null ? new byte[0] : in.readAllBytes();
                }
                throw refusal("GET", path, status, body);
            }
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                String text;
                while ((text = reader.readLine()) != null) {
                    if (!line.test(text)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw notAnswering(e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private HttpURLConnection open(String path, int readTimeoutMillis) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout(readTimeoutMillis);
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Authorization", "Bearer " + token);
        return c;
    }

    private CommandFailure notAnswering(IOException e) {
        return CommandFailure.runtime(
                "The server at " + server.endpointUrl() + " did not answer ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "). Check it with 'heddle status', and start one with 'heddle daemon' if none runs.",
                e);
    }

    /** The server's own message in one line, or the status when the answer is not the JSON error shape. */
    private CommandFailure refusal(String method, String path, int status, byte[] body) {
        String message = null;
        try {
            Object error = object(JsonTree.parse(body)).get("error");
            Object text = object(error).get("message");
            if (text instanceof String && !((String) text).isBlank()) {
                message = ((String) text).strip().replaceAll("\\s*\\R\\s*", " ");
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status alone
        }
        if (message == null) {
            message = "The server at " + server.endpointUrl() + " answered " + method + " " + path + " with HTTP "
                    + status + ". Check its log with: heddle logs";
        }
        return new CommandFailure(Heddle.FAILURE, message, null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : new ArrayList<>();
    }

    /** A string member, or {@code orElse} when it is missing or not a string. */
    static String text(Map<String, Object> object, String name, String orElse) {
        Object value = object.get(name);
        return value == null ? orElse : String.valueOf(value);
    }
}
