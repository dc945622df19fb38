package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
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
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, java.io.IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        // Everything but "owner" is fixed for the life of a server: encode it once per server.
        byte[][] parts = ENCODED.computeIfAbsent(server, RuntimeHostServlet::encodeFixedParts);
        if (ENCODED.size() > MAX_CACHED) {
            ENCODED.keySet().removeIf(ServerHandle::closed);
        }
        byte[] tail = server.owner() ? parts[1] : parts[2];
        byte[] live = liveRecord(server);
        response.setStatus(200);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(parts[0].length + tail.length + live.length);
        if (method.equals("GET")) {
            response.getOutputStream().write(parts[0]);
            response.getOutputStream().write(tail);
            response.getOutputStream().write(live);
        }
        return null;
    }

    /**
     * The end of the answer: the {@code liveRecord} member and the closing brace (only the
     * brace when there is no record yet). The registry's live record as this server's
     * heartbeat last saw it, from memory (no registry read per request).
     */
    static byte[] liveRecord(ServerHandle server) {
        java.util.Optional<io.heddle.api.registry.LiveServer> seen = server.liveRecord();
        if (seen.isEmpty()) {
            return CLOSE;
        }
        io.heddle.api.registry.LiveServer live = seen.get();
        // Built by hand (no JSON generator per request): this endpoint is benchmarked for throughput.
        String serverId = live.server().serverId();
        StringBuilder json = new StringBuilder(128).append(",\"liveRecord\":{\"serverId\":");
        if (plain(serverId)) {
            json.append('"').append(serverId).append('"');
        } else {
            json.append(io.heddle.storage.internal.JsonTree.writeCompact(serverId));
        }
        json.append(",\"lastSeenAt\":\"")
                .append(JsonFields.format(live.server().lastSeenAt()))
                .append("\",\"ageMs\":")
                .append(live.age().toMillis())
                .append(",\"fresh\":")
                .append(live.fresh())
                .append("}}");
        return json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the text needs no JSON escaping (server ids are letters, digits and '-'). */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] CLOSE = "}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static final int MAX_CACHED = 32;
    private static final java.util.concurrent.ConcurrentHashMap<ServerHandle, byte[][]> ENCODED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The JSON up to {@code "owner":}, and its two possible values. */
    private static byte[][] encodeFixedParts(ServerHandle server) {
        Map<String, Object> body = describe(server);
        body.put("owner", Boolean.TRUE);
        String whenOwner = io.heddle.storage.internal.JsonTree.writeCompact(body);
        String marker = "\"owner\":true}";
        if (!whenOwner.endsWith(marker)) {
            throw new IllegalStateException("unexpected runtime-host JSON: " + whenOwner);
        }
        String head = whenOwner.substring(0, whenOwner.length() - "true}".length());
        return new byte[][] {
            head.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "true".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "false".getBytes(java.nio.charset.StandardCharsets.UTF_8)
        };
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
