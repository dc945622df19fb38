package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /api/health}: {@code {"status":"ok","serverId":...}}. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/health")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class HealthServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object handle(String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "ok");
        body.put("serverId", server.serverId());
        return body;
    }
}
