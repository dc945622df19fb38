package io.heddle.examples.hello;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.heddle.api.extensions.ExtensionStatus;
import io.heddle.itest.support.HeddlePlatform;
import io.heddle.itest.support.HeddleTestSupport;
import io.heddle.itest.support.RawHttp;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The example extension, hot-deployed into a running Heddle, the way a user deploys it. */
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
    public void otherMethodsGetTheJsonError() throws Exception {
        deploy(JAR, "extension-hello.jar");

        RawHttp.Response post = send("POST", "/api/ext/hello", "{}");

        assertEquals(405, post.status);
        assertEquals("method_not_allowed", post.field("code"));
        undeploy("extension-hello.jar");
    }
}
