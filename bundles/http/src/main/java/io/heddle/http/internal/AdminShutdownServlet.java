package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code POST /api/admin/shutdown}: asks the server's host to stop it (the token is checked
 * by the servlet context, as for every mutating call). Answers 202 at once; the stop follows.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/admin/shutdown")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class AdminShutdownServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, java.io.IOException {
        if (!method.equals("POST")) {
            throw HttpProblem.methodNotAllowed(method, "POST");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "stopping");
        body.put("serverId", server.serverId());
        writeJson(response, 202, body);
        response.flushBuffer();
        server.requestShutdown();
        return null;
    }
}
