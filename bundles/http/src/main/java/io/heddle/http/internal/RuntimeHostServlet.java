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
     * {@code ,"liveRecord":{…}}} (or just {@code }}): the registry's live record as this
     * server's heartbeat last saw it, from memory (no registry read per request).
     */
    static byte[] liveRecord(ServerHandle server) {
        java.util.Optional<io.heddle.api.registry.LiveServer> seen = server.liveRecord();
        if (seen.isEmpty()) {
            return CLOSE;
        }
        io.heddle.api.registry.LiveServer live = seen.get();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("serverId", live.server().serverId());
        record.put("lastSeenAt", JsonFields.format(live.server().lastSeenAt()));
        record.put("ageMs", live.age().toMillis());
        record.put("fresh", live.fresh());
        return (",\"liveRecord\":" + io.heddle.storage.internal.JsonTree.writeCompact(record) + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
        return new byte[][] {head.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "true".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "false".getBytes(java.nio.charset.StandardCharsets.UTF_8)};
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
