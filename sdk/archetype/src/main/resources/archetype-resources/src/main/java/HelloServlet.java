package ${package};

import io.heddle.api.lifecycle.ErrorEnvelope;
import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * GET /api/ext/${artifactId}/hello. Selecting the heddle servlet context puts this servlet
 * behind Heddle's access rules and gives it the serving server on every request;
 * ErrorEnvelope gives its errors Heddle's JSON shape.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(HelloServlet.PATH)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Where this endpoint answers. */
    public static final String PATH = "/api/ext/${artifactId}/hello";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerHandle server = (ServerHandle) request.getAttribute(ServerHandle.REQUEST_ATTRIBUTE);
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            write(response, 405, ErrorEnvelope.json("method_not_allowed",
                    request.getMethod() + " is not allowed here; use GET."));
        } else if (server == null) {
            write(response, 503, ErrorEnvelope.json("not_ready", "This endpoint is not attached to a running server."));
        } else {
            write(response, 200, HelloMessage.hello(server.serverId()));
        }
    }

    /** Answers JSON: the status, the API's media type (UTF-8), the text. */
    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType(ErrorEnvelope.MEDIA_TYPE);
        response.getWriter().write(json);
    }
}
