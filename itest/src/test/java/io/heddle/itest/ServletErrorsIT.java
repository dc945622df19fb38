package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.Poll;
import io.heddle.itest.support.RawHttp;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * What a servlet on the {@code heddle} context that is not a JSON endpoint of the platform
 * answers when it fails the servlet way: {@code response.sendError(...)} or an exception the
 * container sees. Both must reach the client as the API's JSON error envelope, not an HTML
 * page (see docs/decisions/0064-servlet-errors-answer-the-envelope-without-an-error-page.md).
 */
/*
 * The test servlet is a fixture of this test, not part of the API, so its answers go through
 * the kit's RawHttp, which does not check them against the OpenAPI document.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ServletErrorsIT extends InContainerTestBase {

    private static final String BASE = "/api/ext/servlet-errors-test";

    private ServerHandle server;
    private ServiceRegistration<Servlet> servlet;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("servlet-errors"));
    }

    /** Fails as asked by its path: {@code /send-error} calls sendError(404, …), {@code /throw} throws. */
    static final class FailingServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo();
            if ("/send-error".equals(path)) {
                response.sendError(404, "No greeting named x.");
            } else if ("/throw".equals(path)) {
                throw new IOException("the greetings file is gone");
            } else {
                response.setContentType("text/plain");
                response.getWriter().write("ready");
            }
        }
    }

    @Before
    public void startServerAndServlet() throws Exception {
        server = start(localOptions(ServerMode.DAEMON, newFolder("ws")));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, BASE + "/*");
        properties.put(
                HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT,
                "(" + HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME + "=" + ServerHandle.CONTEXT_NAME + ")");
        servlet = context.registerService(Servlet.class, new FailingServlet(), properties);
        Poll.until("the test servlet answers", Duration.ofSeconds(30), () -> {
            try {
                return RawHttp.get(server.port(), BASE + "/ready").body.equals("ready");
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    @After
    public void stop() {
        servlet.unregister();
    }

    @Test
    public void sendErrorAnswersTheJsonEnvelopeWithItsStatusAndMessage() throws Exception {
        RawHttp.Response answer = RawHttp.get(server.port(), BASE + "/send-error");

        assertEnvelope(answer, 404, "not_found");
        assertThat(answer.field("message")).contains("No greeting named x.");
    }

    @Test
    public void anExceptionTheContainerSeesAnswersTheJsonEnvelopeAsA500() throws Exception {
        assertEnvelope(RawHttp.get(server.port(), BASE + "/throw"), 500, "internal_error");
    }

    private static void assertEnvelope(RawHttp.Response answer, int status, String code) {
        assertThat(answer.status).as(answer::toString).isEqualTo(status);
        assertThat(answer.headers.get("content-type")).as(answer::toString).startsWith("application/json");
        assertThat(answer.field("code")).as(answer::toString).isEqualTo(code);
    }
}
