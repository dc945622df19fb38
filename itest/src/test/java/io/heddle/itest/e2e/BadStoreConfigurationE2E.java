package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.Poll;
import io.heddle.itest.TestSupport;
import io.heddle.itest.postgres.PostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A server whose PostgreSQL task store is misconfigured or unreachable still starts; health and
 * the task endpoints name the cause (503 {@code storage_unavailable}), the terminal shows no
 * stack trace, and the password appears nowhere.
 */
public class BadStoreConfigurationE2E {

    private static final String PASSWORD = "right-pw-5e2f71";
    private static final String WRONG = "wrong-pw-90ac13";
    private static PostgresServer postgres;

    private final List<HeddleSandbox> sandboxes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void database() throws Exception {
        postgres = PostgresServer.start();
        postgres.createDatabase("tasks", "heddle", PASSWORD);
    }

    @AfterClass
    public static void stopDatabase() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @After
    public void stopDaemons() {
        sandboxes.forEach(HeddleSandbox::close);
    }

    @Test
    public void aWrongPasswordStartsTheServerAndNamesTheCauseWithoutTracesOrThePassword() throws Exception {
        HeddleSandbox sandbox = configured("bad-password", postgres.jdbcUrl("tasks"), WRONG);
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        ServerRecord server = sandbox.liveRecord().orElseThrow();
        expectProblem(sandbox, server, "refused the password of user heddle");
        assertThat(String.join("\n", daemon.stdout()) + String.join("\n", daemon.stderr()))
                .as("the terminal").doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(WRONG);
        for (Path log : logFiles(sandbox)) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain(WRONG).doesNotContain(PASSWORD);
        }
    }

    @Test
    public void anUnreachableDatabaseAtStartAnswers503WithTheCauseWithinSeconds() throws Exception {
        int closed = Sockets.freePort();
        HeddleSandbox sandbox = configured("unreachable", "jdbc:postgresql://127.0.0.1:" + closed + "/tasks", PASSWORD);
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        ServerRecord server = sandbox.liveRecord().orElseThrow();
        expectProblem(sandbox, server, "127.0.0.1:" + closed + " cannot be reached");
        assertThat(String.join("\n", daemon.stdout()) + String.join("\n", daemon.stderr()))
                .as("the terminal").doesNotContain("Exception").doesNotContain("\tat ");
    }

    private void expectProblem(HeddleSandbox sandbox, ServerRecord server, String cause) throws Exception {
        String workspaceId = TestSupport.jsonString(call(sandbox, server, "/api/workspaces").body(), "activeWorkspaceId");
        Poll.until("health names the store's problem", Duration.ofSeconds(20), () -> {
            HttpResponse<String> health = callQuietly(sandbox, server, "/api/health");
            return health != null && health.body().contains("degraded") && health.body().contains(cause);
        });
        assertThat(call(sandbox, server, "/api/health").body()).as("the store in use, named with its problem")
                .contains("\"taskStore\":{\"kind\":\"postgresql\"", "\"available\":false")
                .doesNotContain(PASSWORD).doesNotContain(WRONG);
        long asked = System.nanoTime();
        HttpResponse<String> tasks = call(sandbox, server, "/api/workspaces/" + workspaceId + "/heartbeat/tasks");
        long answeredMs = Duration.ofNanos(System.nanoTime() - asked).toMillis();
        System.out.println("BadStoreConfigurationE2E: task list answered " + tasks.statusCode() + " after "
                + answeredMs + " ms");
        assertThat(tasks.statusCode()).as(tasks.body()).isEqualTo(503);
        assertThat(tasks.body()).contains("\"code\":\"storage_unavailable\"").contains(cause)
                .doesNotContain(PASSWORD).doesNotContain(WRONG);
    }

    private HeddleSandbox configured(String name, String url, String password) throws Exception {
        HeddleSandbox sandbox = new HeddleSandbox(name);
        sandboxes.add(sandbox);
        Path etc = Files.createDirectories(sandbox.home().resolve("etc"));
        Path secret = sandbox.home().resolve("pgpass");
        Files.writeString(secret, password + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(etc.resolve("io.heddle.heartbeat.store.postgres.cfg"), "url=" + url
                + "\nuser=heddle\npasswordFile=" + secret + "\nnamespace=bad\nrunners=command\n");
        return sandbox;
    }

    /** The server's log files ({@code <workspace>/.heddle/logs}); there is at least one. */
    private static List<Path> logFiles(HeddleSandbox sandbox) throws Exception {
        Path logs = sandbox.workspace().resolve(".heddle").resolve("logs");
        try (var files = Files.walk(logs)) {
            List<Path> found = files.filter(Files::isRegularFile).toList();
            assertThat(found).as("log files in " + logs).isNotEmpty();
            return found;
        }
    }

    private HttpResponse<String> callQuietly(HeddleSandbox sandbox, ServerRecord server, String path) {
        try {
            return call(sandbox, server, path);
        } catch (Exception e) {
            return null;
        }
    }

    private HttpResponse<String> call(HeddleSandbox sandbox, ServerRecord server, String path) throws Exception {
        String token = Files.readString(sandbox.home().resolve("run").resolve(server.serverId() + ".token")).trim();
        return http.send(HttpRequest.newBuilder(URI.create(server.endpointUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
