package ${package};

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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

/**
 * An in-container test: the kit starts Heddle's platform bundles in Felix and a server per
 * test; the test deploys this project's jar into the extensions folder, as a user would.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloServletIT extends HeddleTestSupport {

    private static final Path JAR = Path.of(System.getProperty("heddle.extension.jar"));

    @Configuration
    public Option[] config() {
        return HeddlePlatform.options(HeddlePlatform.newHome("${artifactId}"));
    }

    @Test
    public void helloAnswersWithTheServingServersId() throws Exception {
        deploy(JAR, "${artifactId}.jar");

        RawHttp.Response hello = get(HelloServlet.PATH);

        assertEquals(200, hello.status);
        assertEquals(server().serverId(), hello.field("serverId"));
        assertTrue(extension("${artifactId}.jar").orElseThrow().servlets().contains(HelloServlet.PATH));
    }

    @Test
    public void otherMethodsGetHeddlesJsonError() throws Exception {
        deploy(JAR, "${artifactId}.jar");

        RawHttp.Response post = send("POST", HelloServlet.PATH, "{}");

        assertEquals(405, post.status);
        assertEquals("method_not_allowed", post.field("code"));
    }
}
