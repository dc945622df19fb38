package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.Poll;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

/**
 * A server whose PostgreSQL task store is misconfigured or unreachable still starts; health and
 * the task endpoints name the cause (503 {@code storage_unavailable}), the terminal shows no
 * stack trace, and the password appears nowhere.
 */
public class BadStoreConfigurationE2E {

    private static final String PASSWORD = "right-pw-5e2f71";
    private static final String WRONG = "wrong-pw-90ac13";

    @ClassRule
    public static final PostgresDatabase DATABASE = new PostgresDatabase("tasks", PASSWORD);

    @Rule
    public final HeddleSandboxes sandboxes = new HeddleSandboxes();

    @Test
    public void aWrongPasswordStartsTheServerAndNamesTheCauseWithoutTracesOrThePassword() throws Exception {
        HeddleSandbox sandbox = configured("bad-password", DATABASE.jdbcUrl(), WRONG);
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        ServerRecord server = sandbox.liveRecord().orElseThrow();
        expectProblem(sandbox, server, "refused the password of user heddle");
        assertThat(String.join("\n", daemon.stdout()) + String.join("\n", daemon.stderr()))
                .as("the terminal")
                .doesNotContain("Exception")
                .doesNotContain("\tat ")
                .doesNotContain(WRONG);
        for (Path log : sandbox.logFiles()) {
            assertThat(Files.readString(log))
                    .as(log.toString())
                    .doesNotContain(WRONG)
                    .doesNotContain(PASSWORD);
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
                .as("the terminal")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    private void expectProblem(HeddleSandbox sandbox, ServerRecord server, String cause) throws Exception {
        String workspaceId =
                TestSupport.jsonString(call(sandbox, server, "/api/workspaces").body(), "activeWorkspaceId");
        Poll.until("health names the store's problem", Duration.ofSeconds(20), () -> {
            HttpResponse<String> health = callQuietly(sandbox, server, "/api/health");
            return health != null
                    && health.body().contains("degraded")
                    && health.body().contains(cause);
        });
        assertThat(call(sandbox, server, "/api/health").body())
                .as("the store in use, named with its problem")
                .contains("\"taskStore\":{\"kind\":\"postgresql\"", "\"available\":false")
                .doesNotContain(PASSWORD)
                .doesNotContain(WRONG);
        long asked = System.nanoTime();
        HttpResponse<String> tasks = call(sandbox, server, "/api/workspaces/" + workspaceId + "/heartbeat/tasks");
        long answeredMs = Duration.ofNanos(System.nanoTime() - asked).toMillis();
        System.out.println(
                "BadStoreConfigurationE2E: task list answered " + tasks.statusCode() + " after " + answeredMs + " ms");
        assertThat(tasks.statusCode()).as(tasks.body()).isEqualTo(503);
        assertThat(tasks.body())
                .contains("\"code\":\"storage_unavailable\"")
                .contains(cause)
                .doesNotContain(PASSWORD)
                .doesNotContain(WRONG);
    }

    private HeddleSandbox configured(String name, String url, String password) throws Exception {
        HeddleSandbox sandbox = sandboxes.create(name);
        PostgresDatabase.configureStore(sandbox, url, password, "namespace=bad\nrunners=command\n");
        return sandbox;
    }

    private HttpResponse<String> callQuietly(HeddleSandbox sandbox, ServerRecord server, String path) {
        try {
            return call(sandbox, server, path);
        } catch (Exception e) {
            return null;
        }
    }

    private HttpResponse<String> call(HeddleSandbox sandbox, ServerRecord server, String path) throws Exception {
        return sandbox.callUnchecked(server, "GET", path, null, Duration.ofSeconds(10));
    }
}
