package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A seeded HTTP fuzz of a real server (Jetty, the access rules, every endpoint): malformed
 * request lines, paths, queries, headers, bodies, {@code Host} values, tokens and origins, over
 * raw sockets. Every answer must be below 500, every 4xx must carry the JSON error shape, and
 * the server must still be up at the end. Shutdown is only ever sent with a wrong or no token.
 *
 * <p>The seed is printed; rerun one with {@code -Dheddle.fuzz.seed=<seed>}. The request count
 * is {@code -Dheddle.fuzz.requests} (default {@value #DEFAULT_REQUESTS}).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HttpFuzzIT extends InContainerTestBase {

    private static final int DEFAULT_REQUESTS = 3200;
    /** Concurrent clients: the requests are fixed by the seed; only their interleaving varies. */
    private static final int CLIENTS = 4;

    private ServerHandle server;
    private Path workspace;
    private int port;
    private String workspaceId;
    private String taskId;
    private String sessionId;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("fuzz"));
    }

    @Before
    public void startServer() throws Exception {
        Path home = home();
        workspace = Files.createTempDirectory(home, "ws");
        Path assets = Files.createTempDirectory(home, "assets");
        Files.writeString(assets.resolve("index.html"), "<!doctype html><title>Heddle</title>");
        Files.writeString(assets.resolve("app.js"), "console.log('heddle')");
        server = start(localOptions(ServerMode.DAEMON, workspace).withAssetsDir(assets));
        port = server.port();
        workspaceId = TestSupport.jsonString(RawHttp.get(port, "/api/workspaces").body, "activeWorkspaceId");
        RawHttp.Response task = RawHttp.send(
                port,
                "POST",
                "/api/workspaces/" + workspaceId + "/heartbeat/tasks",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "application/json"),
                ("{\"task\":\"fuzz target\",\"runner\":\"none-installed\",\"schedule\":{\"intervalMs\":3600000}}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(task.status).as(task::toString).isEqualTo(201);
        taskId = task.field("id");
        RawHttp.Response session = RawHttp.send(
                port,
                "POST",
                "/api/chat/sessions",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "application/json"),
                "{\"name\":\"fuzz\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(session.status).as(session::toString).isEqualTo(201);
        sessionId = session.field("id");
    }

    @Test
    public void fuzzedRequestsNeverGetA5xxAlways4xxJsonAndTheServerStaysUp() throws Exception {
        long seed = Long.getLong("heddle.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("heddle.fuzz.requests", DEFAULT_REQUESTS);
        System.out.println(
                "HttpFuzzIT seed=" + seed + " requests=" + requests + " (rerun: -Dheddle.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Fuzzed> all = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            all.add(next(random)); // generated up front, in order: the seed alone fixes every request
        }
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.concurrent.atomic.AtomicInteger noAnswer = new java.util.concurrent.atomic.AtomicInteger();
        long startNanos = System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(CLIENTS);
        try {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                int index = i;
                sent.add(pool.submit(() -> judge(index, all.get(index), failures, statuses, noAnswer)));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("HttpFuzzIT statuses=" + statuses + " noAnswer=" + noAnswer + " in "
                + (System.nanoTime() - startNanos) / 1_000_000 + " ms");

        List<String> first = new ArrayList<>(failures.subList(0, Math.min(20, failures.size())));
        assertThat(first)
                .as("seed " + seed + ": " + failures.size() + " failures, the first 20")
                .isEmpty();
        assertThat(server.closed()).isFalse();
        RawHttp.Response health = RawHttp.get(port, "/api/health");
        assertThat(health.status).isEqualTo(200);
        assertThat(health.body).contains("\"status\":\"ok\"");
        assertThat(statuses.keySet())
                .as("the fuzz reached the endpoints and the refusals")
                .contains(200, 400, 401, 403, 404);
    }

    private void judge(
            int i,
            Fuzzed request,
            List<String> failures,
            Map<Integer, Integer> statuses,
            java.util.concurrent.atomic.AtomicInteger noAnswer) {
        Answer answer;
        try {
            answer = exchange(request.bytes);
        } catch (IOException e) {
            // Jetty may close without an answer only for bytes that are not HTTP at all
            noAnswer.incrementAndGet();
            if (!request.notHttp) {
                failures.add("#" + i + " no answer (" + e + ") to " + request.describe());
            }
            return;
        }
        statuses.merge(answer.status, 1, Integer::sum);
        // 505 is the one right 5xx for bad input: an HTTP version other than 1.0 or 1.1
        boolean expected505 = answer.status == 505 && request.badVersion;
        if (answer.status >= 500 && !expected505) {
            failures.add("#" + i + " " + answer.status + " " + cut(answer.body) + " for " + request.describe());
        } else if (answer.status >= 400 && !request.head && !isJsonError(answer)) {
            failures.add("#" + i + " " + answer.status + " without the JSON error (" + answer.contentType + ": "
                    + cut(answer.body) + ") for " + request.describe());
        }
    }

    private static boolean isJsonError(Answer answer) {
        return answer.contentType != null
                && answer.contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
                && answer.body.matches("(?s)\\{\"error\":\\{\"code\":\"[a-z_]+\",\"message\":\".*");
    }

    private static String cut(String s) {
        return s.length() > 160 ? s.substring(0, 160) + "…" : s;
    }

    // --- the generator ---

    /** One fuzzed request: its bytes and what is needed to judge the answer. */
    private static final class Fuzzed {
        final byte[] bytes;
        final boolean head;
        final boolean notHttp;
        final boolean badVersion;

        Fuzzed(byte[] bytes, boolean head, boolean notHttp, boolean badVersion) {
            this.bytes = bytes;
            this.head = head;
            this.notHttp = notHttp;
            this.badVersion = badVersion;
        }

        String describe() {
            String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("\r\n", "\\r\\n");
            return "'" + (text.length() > 300 ? text.substring(0, 300) + "…(" + text.length() + " bytes)" : text) + "'";
        }
    }

    private static final String[] METHODS = {
        "GET",
        "GET",
        "GET",
        "POST",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "TRACE",
        "CONNECT",
        "FOO",
        "get",
        "G\u0001T",
        ""
    };

    private String[] paths() {
        String ws = "/api/workspaces/" + workspaceId;
        String tasks = ws + "/heartbeat/tasks";
        String chat = "/api/chat/sessions";
        return new String[] {
            "/api/health",
            "/api/runtime-host",
            "/api/workspaces",
            ws,
            "/api/workspaces/active",
            "/api/workspaces/ws-0000000000000000",
            tasks,
            tasks + "/" + taskId,
            tasks + "/" + taskId + "/run",
            tasks + "/" + taskId + "/resume",
            tasks + "/" + taskId + "/runs",
            tasks + "/" + taskId + "/runs/run-x",
            tasks + "/task-nope",
            ws + "/heartbeat/other",
            chat,
            chat + "/" + sessionId,
            chat + "/" + sessionId + "/messages",
            chat + "/no-such",
            chat + "/" + sessionId + "/other",
            "/api/events",
            "/api/extensions",
            "/api/ext/none",
            "/api/admin/shutdown",
            "/api/openapi.json",
            "/api/docs",
            "/api/docs/swagger-ui.css",
            "/api/docs/x",
            "/api/nothing",
            "/",
            "/app.js",
            "/index.html",
            "/some/route",
            "/api"
        };
    }

    private static final String[] PATH_DAMAGE = {
        "//",
        "/..",
        "/../..",
        "/%2e%2e",
        "%2f",
        "%5c",
        "%00",
        "%zz",
        "%",
        ";a=b",
        "/./",
        "\\",
        "%ff%fe",
        "\u00e9",
        "/" + "x".repeat(300),
        "/%2F..%2F",
        "?",
        "#frag",
        "/*",
        " /x"
    };

    private static final String[] QUERIES = {
        "",
        "",
        "",
        "?%zz",
        "?a=%",
        "?lastEventId=%zz",
        "?lastEventId=abc",
        "?lastEventId=-1",
        "?lastEventId=99999999999999999999",
        "?token=%zz",
        "?token=wrong",
        "?a=1&a=2&&=&",
        "?" + "q=1&".repeat(2000),
        "?x=%u1234",
        "?\u00ff=\u00ff",
        "?token="
    };

    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=latin1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "",
        ";;;",
        "application/json; charset=nope"
    };

    private static final String[] ORIGINS = {
        "http://evil.example",
        "null",
        "http://localhost:1",
        "https://127.0.0.1:P",
        "http://127.0.0.1:P",
        "http://localhost:P",
        "http://[::1]:P",
        "http://127.0.0.1:P/",
        "",
        "\u00ff"
    };

    private String[] bodies() {
        String root = workspace.toString().replace("\\", "\\\\");
        return new String[] {
            "{}",
            "{\"name\":\"fuzzed\"}",
            "{\"name\":null}",
            "{\"name\":" + "\"n\"".repeat(1) + "}",
            "{\"workspaceRoot\":\"" + root + "\"}",
            "{\"workspaceRoot\":\"relative\"}",
            "{\"workspaceId\":\"" + workspaceId + "\"}",
            "{\"workspaceId\":\"nope\"}",
            "{\"text\":\"hello\"}",
            "{\"text\":\"\"}",
            "{\"task\":\"t\",\"runner\":\"command\",\"schedule\":{\"intervalMs\":1}}",
            "{\"task\":\"t\",\"runner\":\"x\",\"schedule\":{\"intervalMs\":1e400}}",
            "{\"enabled\":\"yes\"}",
            "{\"schedule\":{\"intervalMs\":-5}}",
            "{",
            "[]",
            "null",
            "42",
            "\"s\"",
            "{\"a\":}",
            "{\"a\":1,}",
            "{\"\u0000\":1}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "{\"n\":123456789012345678901234567890}",
            "{\"s\":\"\\ud800\"}",
            "x",
            "\u00ff\u00fe\u0000"
        };
    }

    private Fuzzed next(Random r) {
        if (r.nextInt(40) == 0) {
            // not HTTP at all: Jetty may answer 400 or just close
            byte[] junk = new byte[1 + r.nextInt(200)];
            r.nextBytes(junk);
            return new Fuzzed(junk, false, true, true);
        }
        String method = pick(r, METHODS);
        String path = pick(r, paths());
        boolean shutdown = path.equals("/api/admin/shutdown");
        if (path.equals("/api/events") && method.equals("GET") && r.nextInt(4) != 0) {
            method = "POST"; // a good GET streams forever: mostly fuzz the refusals of this one
        }
        if (r.nextInt(3) == 0) {
            String damage = pick(r, PATH_DAMAGE);
            int at = r.nextInt(path.length() + 1);
            path = path.substring(0, at) + damage + path.substring(at);
        }
        String target = r.nextInt(60) == 0 ? "http://evil.example" + path : r.nextInt(80) == 0 ? "*" : path;
        target += pick(r, QUERIES);
        String version = r.nextInt(30) == 0
                ? pick(r, new String[] {"HTTP/3.0", "HTTP/1.0", "HTTP/0.9", "HTTP/1.1 x", "HTTPS/1.1", ""})
                : "HTTP/1.1";

        List<String> headers = new ArrayList<>();
        String[] hosts = {
            "127.0.0.1:" + port,
            "localhost:" + port,
            "[::1]:" + port,
            "evil.example",
            "evil.example:" + port,
            "127.0.0.1",
            "",
            "a b",
            "[::1",
            "127.0.0.1:99999999",
            "localhost:abc",
            "x".repeat(500) + ":" + port
        };
        // half the requests address the server rightly, so that they reach the endpoints
        int hostChoice = r.nextBoolean() ? r.nextInt(3) : r.nextInt(hosts.length + 2);
        if (hostChoice < hosts.length) {
            headers.add("Host: " + hosts[hostChoice]);
        } else if (hostChoice == hosts.length) {
            headers.add("Host: 127.0.0.1:" + port);
            headers.add("Host: localhost:" + port);
        } // else: no Host at all

        String token = server.token();
        switch (r.nextInt(9)) {
            case 0:
            case 1:
                if (!shutdown) {
                    headers.add("Authorization: Bearer " + token);
                    break;
                }
                headers.add("Authorization: Bearer " + token + "x");
                break;
            case 2:
                headers.add("Authorization: Bearer wrong");
                break;
            case 3:
                headers.add("Authorization: "
                        + pick(r, new String[] {"Bearer", "Basic abc", "Bearer  ", "bearer " + token.substring(1)}));
                break;
            case 4:
            case 5:
                headers.add("Cookie: heddle_token=" + (shutdown ? "nope" : token));
                break;
            case 6:
                headers.add("Cookie: "
                        + pick(r, new String[] {
                            "heddle_token",
                            "=;=;",
                            "heddle_token=\"unterminated",
                            "a=b; heddle_token=wrong",
                            "heddle_token=" + "x".repeat(1000),
                            "\u00ff=\u00fe"
                        }));
                break;
            default:
                break;
        }
        if (r.nextBoolean()) {
            headers.add("Origin: " + pick(r, ORIGINS).replace("P", Integer.toString(port)));
        }
        if (r.nextInt(4) == 0) {
            headers.add("Sec-Fetch-Site: "
                    + pick(r, new String[] {"same-origin", "same-site", "cross-site", "none", "\u0001"}));
        }
        if (r.nextInt(5) == 0) {
            headers.add(pick(r, new String[] {
                "Last-Event-ID: x",
                "Last-Event-ID: 12",
                "Last-Event-ID: ",
                "Heddle-Client-Id: bad id",
                "Heddle-Client-Id: " + "c".repeat(200),
                "Accept: application/x-ndjson",
                "Accept: */*;q=x",
                "X-Big: " + "b".repeat(20_000 + r.nextInt(60_000)),
                "Bad Header",
                ": empty-name",
                "X-Ctl: a\u0001b",
                "Expect: 100-continue",
                "Content-Encoding: gzip",
                "Range: bytes=5-1",
                "If-Modified-Since: yesterday",
                "Connection: keep-alive, Upgrade",
                "Upgrade: h2c"
            }));
        }

        byte[] body = null;
        boolean mutating = !method.equals("GET") && !method.equals("HEAD");
        if (mutating && r.nextInt(4) != 0 || r.nextInt(20) == 0) {
            body = pick(r, bodies()).getBytes(r.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            if (r.nextInt(150) == 0) {
                body = new byte[1024 * 1024 + 10]; // over the limit
            }
            if (r.nextInt(5) != 0) {
                headers.add("Content-Type: " + pick(r, CONTENT_TYPES));
            }
        }
        int framing = r.nextInt(12);
        if (body != null) {
            if (framing == 0) {
                headers.add("Content-Length: " + (body.length + 10)); // promises more than it sends
            } else if (framing == 1) {
                headers.add("Content-Length: " + pick(r, new String[] {"-1", "abc", "99999999999999999999", "1, 2"}));
            } else if (framing == 2) {
                headers.add("Transfer-Encoding: chunked");
                String hex = Integer.toHexString(body.length);
                String chunked = (r.nextBoolean() ? hex : "zz") + "\r\n";
                body = concat(
                        chunked.getBytes(StandardCharsets.ISO_8859_1),
                        body,
                        (r.nextBoolean() ? "\r\n0\r\n\r\n" : "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            } else {
                headers.add("Content-Length: " + body.length);
            }
        } else if (framing == 0 && mutating) {
            headers.add("Content-Length: 0");
        }
        headers.add("Connection: close");
        java.util.Collections.shuffle(headers, r);

        StringBuilder head = new StringBuilder();
        head.append(method)
                .append(' ')
                .append(target)
                .append(version.isEmpty() ? "" : " " + version)
                .append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes =
                head.toString().getBytes(r.nextInt(10) == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        boolean badVersion = !version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")
                || target.contains(" ")
                || target.contains("#")
                || method.isEmpty()
                || path.contains(" ");
        return new Fuzzed(body == null ? headBytes : concat(headBytes, body), method.equals("HEAD"), false, badVersion);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static <T> T pick(Random r, T[] from) {
        return from[r.nextInt(from.length)];
    }

    // --- the client ---

    /** One answer: status, content type and body (the head only, for an event stream). */
    private static final class Answer {
        int status;
        String contentType;
        String body = "";
    }

    /**
     * Sends the bytes and reads the answer until the server closes; an event stream (a good
     * {@code GET /api/events}) is judged by its head and then dropped.
     */
    private Answer exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // the server answered before reading everything: read the answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[16384];
            Answer answer = null;
            try {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    buffer.write(chunk, 0, n);
                    if (answer == null) {
                        answer = head(buffer);
                        if (answer != null
                                && answer.contentType != null
                                && answer.contentType.startsWith("text/event-stream")) {
                            return answer;
                        }
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException reset) {
                if (buffer.size() == 0) {
                    throw reset;
                }
            }
            answer = head(buffer);
            if (answer == null) {
                throw new IOException("no HTTP answer: " + cut(buffer.toString(StandardCharsets.ISO_8859_1)));
            }
            String text = buffer.toString(StandardCharsets.UTF_8);
            answer.body = text.substring(text.indexOf("\r\n\r\n") + 4);
            return answer;
        }
    }

    private static Answer head(ByteArrayOutputStream buffer) {
        String text = buffer.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || !text.startsWith("HTTP/1.")) {
            return null;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Answer answer = new Answer();
        answer.status = Integer.parseInt(lines[0].split(" ")[1]);
        for (String line : lines) {
            if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                answer.contentType = line.substring(13).trim();
            }
        }
        return answer;
    }
}
