package io.heddle.launcher;

import io.heddle.storage.internal.JsonTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The terminal chat's client of its own server's chat endpoints ({@code /api/chat/sessions…}),
 * authenticated with the server's token and naming itself with {@code Heddle-Client-Id}.
 * JSON through the storage library's {@link JsonTree} (jackson-core streaming).
 */
final class ChatClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 15_000;

    /** A refusal of the server: status, error code and message. */
    static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        Refusal(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private final String base;
    private final String token;
    private final String clientId;
    private final String process;
    private final String workspaceQuery;

    /**
     * @param process {@code <pid> <start instant>} of this client's process, sent as
     *                {@code Heddle-Client-Process} so that a server on this machine frees the
     *                session lease as soon as this process has ended; null to send none
     */
    ChatClient(String host, int port, String token, String clientId, String process) {
        this(base(host, port), token, clientId, process, "");
    }

    private ChatClient(String base, String token, String clientId, String process, String workspaceQuery) {
        this.base = base;
        this.token = token;
        this.clientId = clientId;
        this.process = process;
        this.workspaceQuery = workspaceQuery;
    }

    private static String base(String host, int port) {
        String h = PortProbe.connectableHost(host);
        String literal = h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h;
        return "http://" + literal + ":" + port;
    }

    /** This process as the {@code Heddle-Client-Process} header names it; null when the OS does not tell its start. */
    static String ownProcess() {
        ProcessHandle self = ProcessHandle.current();
        return self.info().startInstant().map(start -> self.pid() + " " + start).orElse(null);
    }

    /** The same client for the sessions of workspace {@code workspaceId} of the server's catalog. */
    ChatClient inWorkspace(String workspaceId) {
        return new ChatClient(
                base, token, clientId, process, "?workspace=" + URLEncoder.encode(workspaceId, StandardCharsets.UTF_8));
    }

    String clientId() {
        return clientId;
    }

    /** Registers the folder with the server ({@code POST /api/workspaces}); answers its descriptor. */
    Map<String, Object> registerWorkspace(Path workspaceRoot) throws IOException, Refusal {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workspaceRoot", workspaceRoot.toString());
        return object(call("POST", "/api/workspaces", body, false, null));
    }

    /** The session {@code id}, or null when there is none. */
    Map<String, Object> session(String id) throws IOException, Refusal {
        try {
            return object(call("GET", "/api/chat/sessions/" + id + workspaceQuery, null, false, null));
        } catch (Refusal r) {
            if (r.status == 404) {
                return null;
            }
            throw r;
        }
    }

    /** Creates a session (with {@code id}, or the server's choice when null); answers it. */
    Map<String, Object> createSession(String id) throws IOException, Refusal {
        Map<String, Object> body = new LinkedHashMap<>();
        if (id != null) {
            body.put("id", id);
        }
        return object(call("POST", "/api/chat/sessions" + workspaceQuery, body, false, null));
    }

    /** Gives this client's lease on the session up ({@code DELETE /api/chat/sessions/{id}/lease}). */
    void releaseLease(String sessionId) throws IOException, Refusal {
        call("DELETE", "/api/chat/sessions/" + sessionId + "/lease" + workspaceQuery, null, false, null);
    }

    /**
     * Sends one message with {@code Accept: application/x-ndjson}; every line of the answer goes to
     * {@code lines} as it arrives.
     */
    void send(String sessionId, String text, Consumer<Map<String, Object>> lines) throws IOException, Refusal {
        call(
                "POST",
                "/api/chat/sessions/" + sessionId + "/messages" + workspaceQuery,
                Map.of("text", text),
                true,
                lines);
    }

    /**
     * Has the engine {@code engine} answer in the session from now on. {@code PATCH}, which
     * {@link HttpURLConnection} cannot send: the JDK's HTTP client sends it.
     */
    void chooseEngine(String sessionId, String engine) throws IOException, Refusal {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        URI.create(base + "/api/chat/sessions/" + sessionId))
                .timeout(java.time.Duration.ofMillis(READ_TIMEOUT_MILLIS))
                .header("Authorization", "Bearer " + token)
                .header("Heddle-Client-Id", clientId)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json; charset=utf-8")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(write(Map.of("engine", engine))))
                .build();
        java.net.http.HttpResponse<String> response;
        try {
            response = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofMillis(CONNECT_TIMEOUT_MILLIS))
                    .build()
                    .send(request, java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() >= 400) {
            Map<String, Object> error;
            try {
                error = object(object(read(response.body())).get("error"));
            } catch (IOException | RuntimeException unreadable) {
                error = Map.of();
            }
            throw new Refusal(
                    response.statusCode(),
                    error.get("code") instanceof String ? (String) error.get("code") : "http_" + response.statusCode(),
                    error.get("message") instanceof String
                            ? (String) error.get("message")
                            : "the server answered " + response.statusCode());
        }
    }

    /** Asks the server to stop the reply streaming in the session. */
    void cancel(String sessionId) throws IOException, Refusal {
        call("POST", "/api/chat/sessions/" + sessionId + "/cancel", null, false, null);
    }

    private Object call(
            String method, String path, Map<String, Object> body, boolean stream, Consumer<Map<String, Object>> lines)
            throws IOException, Refusal {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        try {
            c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            // A streamed reply may be slow to start (the engine thinks); the engine's own timeout bounds it.
            c.setReadTimeout(stream ? 0 : READ_TIMEOUT_MILLIS);
            c.setUseCaches(false);
            c.setRequestMethod(method);
            c.setRequestProperty("Authorization", "Bearer " + token);
            c.setRequestProperty("Heddle-Client-Id", clientId);
            if (process != null) {
                c.setRequestProperty("Heddle-Client-Process", process);
            }
            c.setRequestProperty("Accept", stream ? "application/x-ndjson" : "application/json");
            if (body != null) {
                byte[] bytes = write(body).getBytes(StandardCharsets.UTF_8);
                c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
                c.setFixedLengthStreamingMode(bytes.length);
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = c.getResponseCode();
            if (status >= 400) {
                throw refusal(c, status);
            }
            if (status == 204) {
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                if (!stream) {
                    return read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!line.isBlank()) {
                        lines.accept(object(read(line)));
                    }
                }
                return null;
            }
        } finally {
            c.disconnect();
        }
    }

    private static Refusal refusal(HttpURLConnection c, int status) {
        String code = "http_" + status;
        String message = "the server answered " + status;
        try (InputStream in = c.getErrorStream()) {
            if (in != null) {
                Map<String, Object> error = object(object(read(new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                        .get("error"));
                if (error.get("code") instanceof String) {
                    code = (String) error.get("code");
                }
                if (error.get("message") instanceof String) {
                    message = (String) error.get("message");
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // keep the status alone
        }
        return new Refusal(status, code, message);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : new ArrayList<>();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : new LinkedHashMap<>();
    }

    /** One JSON value read with the platform's {@link JsonTree}; blank text is no value (null). */
    static Object read(String json) throws IOException {
        return json.isBlank() ? null : JsonTree.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static String write(Map<String, Object> body) {
        Map<String, Object> strings = new LinkedHashMap<>();
        body.forEach((name, value) -> strings.put(name, String.valueOf(value)));
        return JsonTree.writeCompact(strings);
    }
}
