package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The local-daemon access rules and the JSON error shape, over real HTTP. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AccessRulesIT extends InContainerTestBase {

    private ServerHandle server;
    private Path workspace;
    private Path assets;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("access"));
    }

    @Before
    public void startServerWithAssets() throws Exception {
        Path home = home();
        workspace = Files.createTempDirectory(home, "ws");
        assets = Files.createTempDirectory(home, "assets");
        Files.writeString(assets.resolve("index.html"), "<!doctype html><title>Heddle</title>");
        Files.writeString(assets.resolve("app.js"), "console.log('heddle')");
        Files.writeString(home.resolve("secret.txt"), "not for the web");
        server = start(localOptions(ServerMode.DAEMON, workspace).withAssetsDir(assets));
    }

    private RawHttp.Response call(String method, String path, Map<String, String> headers, String body)
            throws Exception {
        return RawHttp.send(
                server.port(), method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> json(String... more) {
        java.util.HashMap<String, String> headers = new java.util.HashMap<>();
        headers.put("Content-Type", "application/json");
        for (int i = 0; i + 1 < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    @Test
    public void foreignHostHeaderGets403() throws Exception {
        RawHttp.Response response = call("GET", "/api/health", Map.of("Host", "evil.example"), null);

        assertThat(response.status).isEqualTo(403);
        assertThat(response.body).contains("\"error\"").contains("\"code\":\"forbidden_host\"");
    }

    @Test
    public void loopbackHostNamesWithTheBoundPortAreAllowed() throws Exception {
        for (String host :
                new String[] {"localhost:" + server.port(), "127.0.0.1:" + server.port(), "[::1]:" + server.port()}) {
            assertThat(call("GET", "/api/health", Map.of("Host", host), null).status)
                    .as(host)
                    .isEqualTo(200);
        }
        assertThat(call("GET", "/api/health", Map.of("Host", "localhost:1"), null).status)
                .isEqualTo(403);
    }

    @Test
    public void mutatingCallWithoutTokenGets401AndWithTokenSucceeds() throws Exception {
        String body = "{\"workspaceRoot\":\"" + workspace + "\",\"name\":\"renamed-by-test\"}";
        String id = TestSupport.jsonString(RawHttp.get(server.port(), "/api/workspaces").body, "activeWorkspaceId");

        RawHttp.Response anonymous = call("PATCH", "/api/workspaces/" + id, json(), body);
        RawHttp.Response wrongToken =
                call("PATCH", "/api/workspaces/" + id, json("Authorization", "Bearer nope"), body);
        RawHttp.Response authorized =
                call("PATCH", "/api/workspaces/" + id, json("Authorization", "Bearer " + server.token()), body);

        assertThat(anonymous.status).isEqualTo(401);
        assertThat(anonymous.body).contains("\"code\":\"token_required\"");
        assertThat(wrongToken.status).isEqualTo(401);
        assertThat(authorized.status).isEqualTo(200);
        assertThat(authorized.body).contains("\"name\":\"renamed-by-test\"");
    }

    @Test
    public void tokenFileHoldsTheTokenAndOnlyItsOwnerMayReadIt() throws Exception {
        assertThat(Files.readString(server.tokenFile()).trim()).isEqualTo(server.token());
        assertThat(server.token().length()).isGreaterThanOrEqualTo(22); // >= 128 bits in base64url
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.tokenFile())))
                .isEqualTo("rw-------");
    }

    @Test
    public void tokenInTheQueryStringSetsTheCookieThatThenAuthorizes() throws Exception {
        RawHttp.Response opened = call("GET", "/?token=" + server.token(), Map.of(), null);
        assertThat(opened.status).isEqualTo(303);
        String cookie = opened.headers.get("set-cookie");
        assertThat(cookie).contains("heddle_token=" + server.token()).containsIgnoringCase("HttpOnly");

        String id = TestSupport.jsonString(RawHttp.get(server.port(), "/api/workspaces").body, "activeWorkspaceId");
        RawHttp.Response withCookie = call(
                "PATCH",
                "/api/workspaces/" + id,
                json("Cookie", "heddle_token=" + server.token(), "Origin", "http://localhost:" + server.port()),
                "{\"name\":\"via-cookie\"}");
        assertThat(withCookie.status).isEqualTo(200);
    }

    @Test
    public void cookieChangesFromAnotherOriginGet403ForbiddenOrigin() throws Exception {
        String id = TestSupport.jsonString(RawHttp.get(server.port(), "/api/workspaces").body, "activeWorkspaceId");
        String cookie = "heddle_token=" + server.token();
        for (String origin : new String[] {"http://evil.example", "http://localhost:" + (server.port() + 1), "null"}) {
            RawHttp.Response refused = call(
                    "PATCH",
                    "/api/workspaces/" + id,
                    json("Cookie", cookie, "Origin", origin),
                    "{\"name\":\"via-foreign-page\"}");
            assertThat(refused.status).as(origin).isEqualTo(403);
            assertThat(refused.body).as(origin).contains("\"code\":\"forbidden_origin\"");
        }
        RawHttp.Response noOrigin = call("PATCH", "/api/workspaces/" + id, json("Cookie", cookie), "{\"name\":\"x\"}");
        assertThat(noOrigin.status).isEqualTo(403);
        RawHttp.Response sameOrigin = call(
                "PATCH",
                "/api/workspaces/" + id,
                json("Cookie", cookie, "Sec-Fetch-Site", "same-origin"),
                "{\"name\":\"via-own-page\"}");
        assertThat(sameOrigin.status).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), "/api/workspaces").body).doesNotContain("via-foreign-page");

        // chat (and any extension) is served by the same context, so the same rule holds there
        RawHttp.Response chat = call(
                "POST",
                "/api/chat/sessions",
                json("Cookie", cookie, "Origin", "http://evil.example"),
                "{\"name\":\"via-foreign-page\"}");
        assertThat(chat.status).isEqualTo(403);
        assertThat(chat.body).contains("\"code\":\"forbidden_origin\"");
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions").body).doesNotContain("via-foreign-page");
    }

    @Test
    public void aMutationWithABodyThatIsNotJsonGets415EvenWhereNoBodyIsRead() throws Exception {
        RawHttp.Response response = call(
                "POST",
                "/api/admin/shutdown",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "text/plain"),
                "x");

        assertThat(response.status).isEqualTo(415);
        assertThat(response.body).contains("\"code\":\"unsupported_media_type\"");
        assertThat(RawHttp.get(server.port(), "/api/health").status).isEqualTo(200);
    }

    @Test
    public void jettysOwnRefusalsAnswerTheJsonErrorShape() throws Exception {
        String host = "Host: 127.0.0.1:" + server.port() + "\r\n";
        String[][] cases = {
            {"400", "GET /api/health// HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"},
            {"400", "GET /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"},
            {"400", "GET /api/health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n"},
            {"400", "DELETE /api/health HTTP/1.1\r\nConnection: close\r\n\r\n"},
            {"505", "GET /api/health HTTP/3.0\r\n" + host + "\r\n"},
            {"414", "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"},
            {
                "431",
                "GET /api/health HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(70_000) + "\r\nConnection: close\r\n\r\n"
            },
        };
        for (String[] c : cases) {
            RawHttp.Response response = RawHttp.exchange(server.port(), c[1].getBytes(StandardCharsets.ISO_8859_1));
            String what = c[1].substring(0, Math.min(40, c[1].length()));
            assertThat(response.status).as(what).isEqualTo(Integer.parseInt(c[0]));
            assertThat(response.headers.get("content-type")).as(what).startsWith("application/json");
            assertThat(response.body)
                    .as(what)
                    .startsWith("{\"error\":{\"code\":\"")
                    .contains("\"message\":\"");
        }
    }

    @Test
    public void malformedQueriesAndEventIdsGet400NotA500() throws Exception {
        for (String path : new String[] {
            "/api/events?%zz", "/api/events?lastEventId=%zz", "/api/events?lastEventId=abc", "/?token=%zz"
        }) {
            RawHttp.Response response = RawHttp.get(server.port(), path);
            assertThat(response.status).as(path).isEqualTo(400);
            assertThat(response.body).as(path).contains("\"code\":\"bad_request\"");
        }
        RawHttp.Response badHeader = call("GET", "/api/events", Map.of("Last-Event-ID", "not-a-number"), null);
        assertThat(badHeader.status).isEqualTo(400);
    }

    @Test
    public void malformedJsonGets400() throws Exception {
        RawHttp.Response response = call(
                "POST", "/api/workspaces", json("Authorization", "Bearer " + server.token()), "{\"workspaceRoot\": ");

        assertThat(response.status).as(response::toString).isEqualTo(400);
        assertThat(response.body).contains("\"code\":\"bad_request\"");
    }

    @Test
    public void missingFieldGets400NamingTheField() throws Exception {
        RawHttp.Response response = call(
                "POST", "/api/workspaces", json("Authorization", "Bearer " + server.token()), "{\"name\":\"no root\"}");

        assertThat(response.status).isEqualTo(400);
        assertThat(response.body).contains("workspaceRoot");
    }

    @Test
    public void wrongMediaTypeGets415() throws Exception {
        RawHttp.Response response = call(
                "POST",
                "/api/workspaces",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "text/plain"),
                "hello");

        assertThat(response.status).isEqualTo(415);
    }

    @Test
    public void twoMebibyteBodyGets413() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        Arrays.fill(big, (byte) ' ');
        RawHttp.Response response = RawHttp.send(
                server.port(), "POST", "/api/workspaces", json("Authorization", "Bearer " + server.token()), big);

        assertThat(response.status).isEqualTo(413);
        assertThat(response.body).contains("\"code\":\"body_too_large\"");
    }

    @Test
    public void parentSegmentsThatLeaveTheAssetsFolderNeverServeAFile() throws Exception {
        // Jetty rejects URIs that climb above the root (400) before any endpoint runs; see
        // docs/decisions/0003-traversal-rejected-by-jetty.md. Nothing outside the folder is served.
        for (String path : new String[] {
            "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/a/../../secret.txt", "/..%5csecret.txt"
        }) {
            RawHttp.Response response = call("GET", path, Map.of(), null);
            assertThat(response.status).as(path + ": " + response).isEqualTo(400);
            assertThat(response.body).as(path).doesNotContain("not for the web");
        }
    }

    @Test
    public void parentSegmentsThatStayInsideTheFolderAreResolvedNormally() throws Exception {
        RawHttp.Response response = call("GET", "/nested/../app.js", Map.of(), null);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.body).contains("console.log");
    }

    @Test
    public void assetsAreServedAndUnknownPagesFallBackToIndex() throws Exception {
        assertThat(RawHttp.get(server.port(), "/app.js").body).contains("console.log");
        assertThat(RawHttp.get(server.port(), "/").body).contains("<title>Heddle</title>");
        assertThat(RawHttp.get(server.port(), "/workspaces/42/settings").body).contains("<title>Heddle</title>");
    }

    @Test
    public void unknownApiPathGetsJson404() throws Exception {
        RawHttp.Response response = RawHttp.get(server.port(), "/api/no-such-thing");

        assertThat(response.status).isEqualTo(404);
        assertThat(response.headers.get("content-type")).startsWith("application/json");
        assertThat(response.body).contains("\"code\":\"not_found\"");
    }

    @Test
    public void wrongMethodGets405() throws Exception {
        RawHttp.Response response =
                call("DELETE", "/api/health", Map.of("Authorization", "Bearer " + server.token()), null);

        assertThat(response.status).isEqualTo(405);
        assertThat(response.body).contains("\"code\":\"method_not_allowed\"");
    }
}
