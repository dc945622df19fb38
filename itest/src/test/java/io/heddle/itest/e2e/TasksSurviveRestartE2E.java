package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.Poll;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.After;
import org.junit.Test;

/** Heartbeat tasks and their run history are files in the workspace: a restart keeps them. */
public class TasksSurviveRestartE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("tasks-restart");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    private HttpResponse<String> call(ServerRecord server, String method, String path, String body) throws Exception {
        return sandbox.call(server, method, path, body, Duration.ofSeconds(10));
    }

    @Test
    public void tasksAndRunHistorySurviveADaemonRestart() throws Exception {
        int port = Sockets.freePort();
        sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord first = sandbox.liveRecord().orElseThrow();
        String workspaceId = TestSupport.jsonString(
                call(first, "GET", "/api/workspaces", null).body(), "activeWorkspaceId");
        String tasks = "/api/workspaces/" + workspaceId + "/heartbeat/tasks";

        HttpResponse<String> created = call(
                first,
                "POST",
                tasks,
                "{\"name\":\"say hello\",\"task\":\"print a greeting\","
                        + "\"enabled\":true,\"schedule\":{\"intervalMs\":3600000},\"runner\":\"command\","
                        + "\"runnerConfig\":{\"argv\":[\"echo\",\"hello from heddle\"],\"timeoutMs\":10000}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String taskId = TestSupport.jsonString(created.body(), "id");
        assertThat(call(first, "POST", tasks + "/" + taskId + "/run", null).statusCode())
                .isBetween(200, 299);
        Poll.until("the run-now run finished", Duration.ofSeconds(30), () -> {
            try {
                return call(first, "GET", tasks + "/" + taskId + "/runs", null)
                        .body()
                        .contains("\"status\":\"finished\"");
            } catch (Exception e) {
                return false;
            }
        });
        String runId = TestSupport.jsonString(
                call(first, "GET", tasks + "/" + taskId + "/runs", null).body(), "id");

        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        sandbox.startDaemon("--port", Integer.toString(port));
        ServerRecord second = sandbox.liveRecord().orElseThrow();
        assertThat(second.serverId()).isNotEqualTo(first.serverId());

        HttpResponse<String> task = call(second, "GET", tasks + "/" + taskId, null);
        assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
        assertThat(task.body()).contains("\"name\":\"say hello\"").contains("\"intervalMs\":3600000");
        HttpResponse<String> run = call(second, "GET", tasks + "/" + taskId + "/runs/" + runId, null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(run.body()).contains("hello from heddle").contains("\"decision\":\"continue\"");
    }
}
