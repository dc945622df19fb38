package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.workspace.WorkspaceCatalogException;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every JSON endpoint: dispatches by method, turns {@link HttpProblem} into the JSON
 * error shape of the contract, reads bodies with the 1 MiB limit and the media-type check.
 * Only a defect of ours becomes a 500, never bad input.
 */
abstract class JsonApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonApiServlet.class);
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** Handles one request; answers the JSON to send with 200, or throws a problem. */
    protected abstract Object handle(String method, HttpServletRequest request, HttpServletResponse response,
            ServerHandle server) throws HttpProblem, IOException;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerHandle server = (ServerHandle) request.getAttribute(ServerHandle.REQUEST_ATTRIBUTE);
        try {
            if (server == null) {
                throw new HttpProblem(503, "not_ready", "This endpoint is not attached to a running server.");
            }
            Object body = handle(request.getMethod().toUpperCase(Locale.ROOT), request, response, server);
            if (!response.isCommitted()) {
                writeJson(response, response.getStatus() == 0 ? 200 : response.getStatus(), body);
            }
        } catch (HttpProblem p) {
            closeIfBodyUnread(request, response);
            writeError(response, p.status, p.code, p.getMessage(), p.field);
        } catch (WorkspaceCatalogException | RegistryException | UncheckedIOException e) {
            // a store that cannot be read or written (full disk, permissions): the message names
            // the operation, the path and the OS's cause
            closeIfBodyUnread(request, response);
            LOG.warn("{} {}: storage unavailable: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
            writeError(response, 503, "storage_unavailable", e.getMessage());
        } catch (RuntimeException e) {
            if (containerRefusedAsMalformed(e)) {
                // e.g. a query string with bad percent-encoding, found when a parameter is read
                closeIfBodyUnread(request, response);
                writeError(response, 400, "bad_request", "The request is malformed: " + e.getMessage());
                return;
            }
            LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            writeError(response, 500, "internal_error", "The server failed to answer: " + e.getMessage());
        }
    }

    /**
     * Whether the servlet container threw because the request itself is malformed (Jetty's
     * {@code BadMessageException}, a 4xx): the client's fault, a 400, never a 500. Matched by name
     * so this bundle does not depend on Jetty.
     */
    static boolean containerRefusedAsMalformed(RuntimeException e) {
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.eclipse.jetty.http.BadMessageException")) {
                return true;
            }
        }
        return false;
    }

    static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JsonTree.writeCompact(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    static void writeError(HttpServletResponse response, int status, String code, String message) throws IOException {
        writeError(response, status, code, message, null);
    }

    /** The contract's error shape; {@code field}, when given, names the request field at fault. */
    static void writeError(HttpServletResponse response, int status, String code, String message, String field)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        String connection = response.getHeader("Connection"); // kept: see closeIfBodyUnread
        response.reset();
        if (connection != null) {
            response.setHeader("Connection", connection);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        writeJson(response, status, Map.of("error", error));
    }

    /** Reads a JSON object body: 415 unless JSON, 413 past 1 MiB, 400 when malformed or not an object. */
    static Map<String, Object> readObject(HttpServletRequest request) throws HttpProblem, IOException {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpProblem(415, "unsupported_media_type", "Send the body as application/json.");
        }
        byte[] bytes = readLimited(request.getInputStream());
        Object parsed;
        try {
            parsed = JsonTree.parse(bytes);
        } catch (JsonTree.MalformedJsonException e) {
            throw HttpProblem.badRequest("The body is not valid JSON: " + e.getMessage());
        }
        Map<String, Object> object = JsonFields.object(parsed);
        if (object == null) {
            throw HttpProblem.badRequest("The body must be a JSON object.");
        }
        return object;
    }

    private static byte[] readLimited(InputStream in) throws IOException, HttpProblem {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException brokenBody) {
            // the client aborted, sent bad chunking, or less than its Content-Length: its fault, a 400
            throw new HttpProblem(400, "bad_request", "The request body could not be read: " + brokenBody.getMessage());
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HttpProblem(413, "body_too_large", "The request body is larger than 1 MiB.");
        }
        return bytes;
    }

    /**
     * A refused request may leave its body unread; then the connection is closed after the answer,
     * and the response says so, so that no client reuses it and finds it closed under its next request.
     */
    static void closeIfBodyUnread(HttpServletRequest request, HttpServletResponse response) {
        boolean declaresBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (declaresBody && !response.isCommitted()) {
            try {
                if (request.getInputStream().isFinished()) {
                    return;
                }
            } catch (IOException | IllegalStateException readerInUse) {
                // fall through: we cannot tell, so close
            }
            response.setHeader("Connection", "close");
        }
    }
}
