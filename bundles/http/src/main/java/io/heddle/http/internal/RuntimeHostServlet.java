package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.storage.internal.JsonFields;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/** {@code GET /api/runtime-host}: the facts of the server that answers. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/runtime-host")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class RuntimeHostServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object handle(String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        return describe(server);
    }

    static Map<String, Object> describe(ServerHandle server) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("host", server.host());
        endpoint.put("port", server.port());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mode", server.mode().wireName());
        body.put("serverId", server.serverId());
        body.put("endpoint", endpoint);
        body.put("registryPath", server.registryPath().toString());
        body.put("workspaceRoot", server.workspaceRoot().toString());
        body.put("stateRoot", server.stateRoot().toString());
        body.put("startedAt", JsonFields.format(server.startedAt()));
        body.put("pid", server.pid());
        body.put("owner", server.owner());
        return body;
    }
}
