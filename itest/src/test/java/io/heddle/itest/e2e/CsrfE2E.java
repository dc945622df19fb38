package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.RawHttp;
import io.heddle.itest.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What a web page in the user's browser can do to the real daemon when the browser holds the
 * {@code heddle_token} cookie: nothing that changes state unless the page is the server's own.
 * A page on another origin (another site, or another port of localhost, which is the same
 * site) sends the cookie, a foreign {@code Origin} and any body a form can send.
 */
public class CsrfE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("csrf");
    private HeddleRun daemon;
    private int port;
    private String token;
    private String tasks;
    private String taskId;

    @After
    public void cleanUp() {
        sandbox.close();
    }

    @Before
    public void startDaemonWithATask() throws Exception {
        port = Sockets.freePort();
        daemon = sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord record = sandbox.liveRecord().orElseThrow();
        token = Files.readString(sandbox.home().resolve("run").resolve(record.serverId() + ".token"))
                .trim();
        String workspaceId = TestSupport.jsonString(RawHttp.get(port, "/api/workspaces").body, "activeWorkspaceId");
        tasks = "/api/workspaces/" + workspaceId + "/heartbeat/tasks";
        RawHttp.Response created = call("POST", tasks, bearer(), "application/json", newTask("made by the CLI"));
        assertThat(created.status).as(created::toString).isEqualTo(201);
        taskId = created.field("id");
    }

    private static String newTask(String name) {
        return "{\"name\":\"" + name + "\",\"task\":\"say hello\",\"schedule\":{\"intervalMs\":3600000},"
                + "\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"echo\",\"hello\"],\"timeoutMs\":10000}}";
    }

    private Map<String, String> bearer() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        return headers;
    }

    private Map<String, String> cookieFrom(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cookie", "heddle_token=" + token);
        headers.put("Origin", origin);
        return headers;
    }

    private RawHttp.Response call(
            String method, String path, Map<String, String> headers, String contentType, String body) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (contentType != null) {
            all.put("Content-Type", contentType);
        }
        return RawHttp.send(port, method, path, all, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private void assertForbiddenOrigin(RawHttp.Response response, String what) {
        assertThat(response.status).as(what + ": " + response).isEqualTo(403);
        assertThat(response.body).as(what).contains("\"code\":\"forbidden_origin\"");
    }

    @Test
    public void aForeignPageWithTheCookieCanNeitherStopTheServerNorRunNorCreateTasks() throws Exception {
        for (String origin :
                new String[] {"http://evil.example", "http://localhost:" + (port == 65535 ? 1 : port + 1)}) {
            Map<String, String> foreign = cookieFrom(origin);
            assertForbiddenOrigin(
                    call("POST", "/api/admin/shutdown", foreign, "text/plain", "x"), origin + " shutdown");
            assertForbiddenOrigin(
                    call("POST", "/api/admin/shutdown", foreign, null, null), origin + " shutdown, no body");
            assertForbiddenOrigin(
                    call("POST", tasks + "/" + taskId + "/run", foreign, "text/plain", "x"), origin + " run");
            assertForbiddenOrigin(
                    call("POST", tasks + "/" + taskId + "/resume", foreign, null, null), origin + " resume");
            assertForbiddenOrigin(
                    call("POST", tasks, foreign, "application/json", newTask("made by a foreign page")),
                    origin + " create");
        }

        assertThat(daemon.process().isAlive()).as(daemon.report()).isTrue();
        assertThat(RawHttp.get(port, "/api/health").status).isEqualTo(200);
        String listed = RawHttp.get(port, tasks).body;
        assertThat(listed).contains("made by the CLI").doesNotContain("made by a foreign page");
        assertThat(RawHttp.get(port, tasks + "/" + taskId).body).doesNotContain("runRequestedAt\":\"");
    }

    @Test
    public void theServersOwnPagesWithTheCookieAreAcceptedAndNonJsonBodiesAreNot() throws Exception {
        Map<String, String> own = cookieFrom("http://localhost:" + port);

        RawHttp.Response created = call("POST", tasks, own, "application/json", newTask("made by the web UI"));
        assertThat(created.status).as(created::toString).isEqualTo(201);
        RawHttp.Response plainRun = call("POST", tasks + "/" + taskId + "/run", own, "text/plain", "x");
        assertThat(plainRun.status).as(plainRun::toString).isEqualTo(415);
        assertThat(plainRun.body).contains("\"code\":\"unsupported_media_type\"");
        RawHttp.Response run = call("POST", tasks + "/" + taskId + "/run", own, null, null);
        assertThat(run.status).as(run::toString).isEqualTo(202);
        // resume passes the access rules; the task is not held, so the task service says 409
        RawHttp.Response resume = call("POST", tasks + "/" + created.field("id") + "/resume", own, null, null);
        assertThat(resume.status).as(resume::toString).isEqualTo(409);

        RawHttp.Response stop = call("POST", "/api/admin/shutdown", cookieFrom("http://127.0.0.1:" + port), null, null);
        assertThat(stop.status).as(stop::toString).isEqualTo(202);
        assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(daemon.report())
                .isZero();
    }

    @Test
    public void bearerClientsWithoutOriginAreUnaffected() throws Exception {
        RawHttp.Response created = call("POST", tasks, bearer(), "application/json", newTask("second"));
        assertThat(created.status).as(created::toString).isEqualTo(201);
        RawHttp.Response run = call("POST", tasks + "/" + taskId + "/run", bearer(), null, null);
        assertThat(run.status).as(run::toString).isEqualTo(202);
        RawHttp.Response plain = call("POST", tasks + "/" + created.field("id") + "/run", bearer(), "text/plain", "x");
        assertThat(plain.status).as(plain::toString).isEqualTo(415);

        // heddle stop: the CLI's own client (bearer, no body)
        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(daemon.report())
                .isZero();
    }
}
