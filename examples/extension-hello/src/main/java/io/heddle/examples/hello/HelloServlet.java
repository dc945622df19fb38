package io.heddle.examples.hello;

import io.heddle.api.lifecycle.ErrorEnvelope;
import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/ext/hello}: says hello with the serving server's id and this extension's
 * version. Selecting the {@code heddle} context puts the servlet behind Heddle's access rules
 * and gives it the serving {@link ServerHandle} on every request; {@link ErrorEnvelope} gives
 * its errors the API's JSON shape. The {@code Heddle-OpenAPI}
 * header names the bundle's OpenAPI fragment ({@code openapi.json}): {@code GET /api/openapi.json}
 * lists this path while the extension runs.
 */
@Header(name = "Heddle-OpenAPI", value = "openapi.json")
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/ext/hello")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerHandle server = (ServerHandle) request.getAttribute(ServerHandle.REQUEST_ATTRIBUTE);
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            write(
                    response,
                    405,
                    ErrorEnvelope.json("method_not_allowed", request.getMethod() + " is not allowed here; use GET."));
        } else if (server == null) {
            write(response, 503, ErrorEnvelope.json("not_ready", "This endpoint is not attached to a running server."));
        } else {
            Bundle self = FrameworkUtil.getBundle(HelloServlet.class);
            write(
                    response,
                    200,
                    "{\"message\":\"Hello from an extension\",\"serverId\":"
                            + ErrorEnvelope.quote(server.serverId())
                            + ",\"extension\":" + ErrorEnvelope.quote(self.getSymbolicName())
                            + ",\"version\":"
                            + ErrorEnvelope.quote(self.getVersion().toString()) + "}");
        }
    }

    /** Answers JSON: the status, the API's media type (UTF-8), the text. */
    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType(ErrorEnvelope.MEDIA_TYPE);
        response.getWriter().write(json);
    }
}
