package io.heddle.examples.hello;

import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/ext/hello}: says hello with the serving server's id and this extension's
 * version. Selecting the {@code heddle} context puts the servlet behind Heddle's access rules
 * and gives it the serving {@link ServerHandle} on every request. The {@code Heddle-OpenAPI}
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
            write(response, 405, error("method_not_allowed", request.getMethod() + " is not allowed here; use GET."));
        } else if (server == null) {
            write(response, 503, error("not_ready", "This endpoint is not attached to a running server."));
        } else {
            Bundle self = FrameworkUtil.getBundle(HelloServlet.class);
            write(response, 200, "{\"message\":\"Hello from an extension\",\"serverId\":" + quote(server.serverId())
                    + ",\"extension\":" + quote(self.getSymbolicName())
                    + ",\"version\":" + quote(self.getVersion().toString()) + "}");
        }
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}";
    }

    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A JSON string literal. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
