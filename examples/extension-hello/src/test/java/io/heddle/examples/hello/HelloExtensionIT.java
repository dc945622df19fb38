package io.heddle.examples.hello;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.itest.support.HeddlePlatform;
import io.heddle.itest.support.HeddleTestSupport;
import io.heddle.itest.support.Poll;
import io.heddle.itest.support.RawHttp;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The example extension, hot-deployed into a running Heddle, the way a user deploys it: its endpoint and its runner. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloExtensionIT extends HeddleTestSupport {

    private static final Path JAR = Path.of(System.getProperty("heddle.extension.jar", "target/extension-hello.jar"));

    @Configuration
    public Option[] config() {
        return HeddlePlatform.options(HeddlePlatform.newHome("extension-hello"));
    }

    @Test
    public void helloAnswersWithTheServingServersId() throws Exception {
        deploy(JAR, "extension-hello.jar");

        RawHttp.Response hello = get("/api/ext/hello");

        assertEquals(200, hello.status);
        assertEquals(server().serverId(), hello.field("serverId"));
        assertEquals("io.heddle.examples.extension-hello", hello.field("extension"));
        undeploy("extension-hello.jar");
        assertEquals(404, get("/api/ext/hello").status);
    }

    @Test
    public void extensionsListShowsTheServletItContributes() throws Exception {
        deploy(JAR, "extension-hello.jar");

        ExtensionStatus status = extension("extension-hello.jar").orElseThrow();

        assertEquals("ACTIVE", status.state());
        assertTrue(status.servlets().contains("/api/ext/hello"));
        assertTrue(get("/api/extensions").body.contains("\"/api/ext/hello\""));
        undeploy("extension-hello.jar");
    }

    @Test
    public void helloRunnerRunsAHeartbeatTask() throws Exception {
        deploy(JAR, "extension-hello.jar");
        assertTrue(extension("extension-hello.jar").orElseThrow().runners().contains("hello"));
        String workspace = get("/api/workspaces").field("activeWorkspaceId");
        String tasks = "/api/workspaces/" + workspace + "/heartbeat/tasks";

        RawHttp.Response created = send(
                "POST",
                tasks,
                "{\"task\":\"greet\",\"runner\":\"hello\","
                        + "\"schedule\":{\"intervalMs\":3600000},\"runnerConfig\":{\"greeting\":\"Good morning\"}}");
        assertEquals(created.body, 201, created.status);
        String taskId = created.field("id");
        assertEquals(202, send("POST", tasks + "/" + taskId + "/run", null).status);

        Poll.until(
                "the run finished", DEADLINE, () -> runs(tasks + "/" + taskId).contains("\"status\":\"finished\""));
        assertTrue(runs(tasks + "/" + taskId)
                .contains("Good morning, " + server().workspaceRoot().getFileName() + "!"));
        assertEquals(
                400,
                send(
                                "POST",
                                tasks,
                                "{\"task\":\"greet\",\"runner\":\"hello\","
                                        + "\"schedule\":{\"intervalMs\":3600000},\"runnerConfig\":{\"greeting\":42}}")
                        .status);
        undeploy("extension-hello.jar");
    }

    private String runs(String task) {
        try {
            return get(task + "/runs").body;
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    public void otherMethodsGetTheJsonError() throws Exception {
        deploy(JAR, "extension-hello.jar");

        RawHttp.Response post = send("POST", "/api/ext/hello", "{}");

        assertEquals(405, post.status);
        assertEquals("method_not_allowed", post.field("code"));
        undeploy("extension-hello.jar");
    }
}
