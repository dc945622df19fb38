package io.heddle.jsonhttp.internal;

import io.heddle.api.lifecycle.ErrorEnvelope;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the API's answers: a JSON body, or the error envelope ({@link ErrorEnvelope}), each
 * with {@code Cache-Control: no-store} and its length.
 */
public final class JsonResponses {

    private JsonResponses() {}

    public static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        write(response, status, JsonTree.writeCompact(body));
    }

    public static void writeError(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        writeError(response, status, code, message, null);
    }

    /**
     * Answers with the error envelope instead of whatever the endpoint had begun: its status,
     * headers and buffered body are dropped, except a {@code Connection} header (see
     * {@link RequestBodies#closeIfUnread}). Does nothing once the response is committed.
     * {@code field}, when given, names the request field at fault.
     */
    public static void writeError(HttpServletResponse response, int status, String code, String message, String field)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        String connection = response.getHeader("Connection");
        response.reset();
        if (connection != null) {
            response.setHeader("Connection", connection);
        }
        write(response, status, ErrorEnvelope.json(code, message, field));
    }

    /**
     * Refuses a request before any endpoint ran: the error envelope, keeping the headers
     * already set for the refusal ({@code WWW-Authenticate}, {@code Connection}).
     */
    public static void writeRefusal(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        write(response, status, ErrorEnvelope.json(code, message));
    }

    private static void write(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType(ErrorEnvelope.MEDIA_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
