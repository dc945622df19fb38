package io.heddle.jsonhttp.internal;

import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of every JSON endpoint on the {@code heddle} context: hands the request and its serving
 * {@link ServerHandle} to {@link #handle}, writes the answer, and turns every failure into the
 * error envelope: an {@link HttpProblem} with its own status, a malformed request a 400, a
 * store that cannot be read or written ({@link #storageFailure}) a 503
 * {@code storage_unavailable}. Only a defect of ours becomes a 500, never bad input.
 */
public abstract class JsonServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonServlet.class);

    /** Marks an answer that has no body ({@code 204}). */
    public static final Object NO_CONTENT = new Object();

    /** Marks an answer the endpoint has written itself (a stream). */
    public static final Object ALREADY_WRITTEN = new Object();

    /**
     * Handles one request; answers the JSON to send (with the status set, 200 if none),
     * {@link #NO_CONTENT} or {@link #ALREADY_WRITTEN}, or throws a problem.
     */
    protected abstract Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem, IOException;

    /**
     * The message of the 503 {@code storage_unavailable} when {@code failure}, thrown by
     * {@link #handle}, says a store could not be read or written (full disk, permissions); null
     * when it says no such thing. Then a runtime exception is a 500 and an I/O exception goes
     * to the container. The default knows no store.
     */
    protected String storageFailure(Exception failure) {
        return null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServerHandle server = (ServerHandle) request.getAttribute(ServerHandle.REQUEST_ATTRIBUTE);
        try {
            if (server == null) {
                throw HttpProblem.notReady("This endpoint is not attached to a running server.");
            }
            Object body = handle(request.getMethod().toUpperCase(Locale.ROOT), request, response, server);
            if (body == NO_CONTENT) {
                response.setStatus(204);
            } else if (body != ALREADY_WRITTEN && !response.isCommitted()) {
                writeJson(response, response.getStatus() == 0 ? 200 : response.getStatus(), body);
            }
        } catch (HttpProblem p) {
            RequestBodies.closeIfUnread(request, response);
            JsonResponses.writeError(response, p.status, p.code, p.getMessage(), p.field);
        } catch (IOException | RuntimeException e) {
            String storage = storageFailure(e);
            if (storage != null) {
                // the message names the operation, the path and the OS's cause
                RequestBodies.closeIfUnread(request, response);
                LOG.warn("{} {}: storage unavailable: {}", request.getMethod(), request.getRequestURI(), e.toString());
                JsonResponses.writeError(response, 503, "storage_unavailable", storage);
            } else if (e instanceof IOException io) {
                throw io;
            } else if (containerRefusedAsMalformed(e)) {
                // e.g. a query string with bad percent-encoding, found when a parameter is read
                RequestBodies.closeIfUnread(request, response);
                JsonResponses.writeError(response, 400, "bad_request", "The request is malformed: " + e.getMessage());
            } else {
                LOG.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
                JsonResponses.writeError(
                        response, 500, "internal_error", "The server failed to answer: " + e.getMessage());
            }
        }
    }

    /**
     * Whether the servlet container threw because the request itself is malformed (Jetty's
     * {@code BadMessageException}, a 4xx): the client's fault, a 400, never a 500. Matched by
     * name so that no bundle depends on Jetty for it.
     */
    private static boolean containerRefusedAsMalformed(Exception e) {
        for (Class<?> c = e.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals("org.eclipse.jetty.http.BadMessageException")) {
                return true;
            }
        }
        return false;
    }

    /** See {@link JsonResponses#writeJson}. */
    protected static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        JsonResponses.writeJson(response, status, body);
    }

    /** See {@link RequestBodies#readObject}: a body is required. */
    public static Map<String, Object> readObject(HttpServletRequest request) throws HttpProblem, IOException {
        return RequestBodies.readObject(request, false);
    }

    /** See {@link RequestBodies#readObject}. */
    public static Map<String, Object> readObject(HttpServletRequest request, boolean emptyAllowed)
            throws HttpProblem, IOException {
        return RequestBodies.readObject(request, emptyAllowed);
    }
}
