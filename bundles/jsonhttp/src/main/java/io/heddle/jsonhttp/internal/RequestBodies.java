package io.heddle.jsonhttp.internal;

import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies on the {@code heddle} context: the one size limit (1 MiB), the JSON object
 * reader, and the {@code Connection: close} of a request refused with its body unread.
 */
public final class RequestBodies {

    /** The largest request body any endpoint reads; the access rules refuse a larger declared one up front. */
    public static final int MAX_BYTES = 1024 * 1024;

    /** The message of the 413 {@code body_too_large}. */
    public static final String TOO_LARGE_MESSAGE = "The request body is larger than 1 MiB.";

    private RequestBodies() {}

    /** Whether the request says it has a body (a positive Content-Length, or chunks). */
    public static boolean declared(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Reads a JSON object body: 415 unless JSON, 413 past {@link #MAX_BYTES}, 400 when malformed
     * or not an object. With {@code emptyAllowed}, a request without a body reads as {@code {}}.
     */
    public static Map<String, Object> readObject(HttpServletRequest request, boolean emptyAllowed)
            throws HttpProblem, IOException {
        if (emptyAllowed && request.getContentLengthLong() == 0) {
            return new LinkedHashMap<>();
        }
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new HttpProblem(415, "unsupported_media_type", "Send the body as application/json.");
        }
        byte[] bytes = readLimited(request);
        if (emptyAllowed && bytes.length == 0) {
            return new LinkedHashMap<>();
        }
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

    /** The body's bytes: 413 past {@link #MAX_BYTES}, 400 when the client broke off or mis-framed it. */
    public static byte[] readLimited(HttpServletRequest request) throws HttpProblem, IOException {
        InputStream in = request.getInputStream();
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException brokenBody) {
            // the client aborted, sent bad chunking, or less than its Content-Length: its fault, a 400
            throw new HttpProblem(400, "bad_request", "The request body could not be read: " + brokenBody.getMessage());
        }
        if (bytes.length > MAX_BYTES) {
            throw new HttpProblem(413, "body_too_large", TOO_LARGE_MESSAGE);
        }
        return bytes;
    }

    /**
     * A request refused before anything touched its body (the access rules): when it declares
     * one, the connection is closed after the answer and the response says so
     * ({@code Connection: close}), so that no client reuses it and finds it closed under its
     * next request. The input stream is left alone (opening it could ask a client that expects
     * {@code 100 Continue} to send the body after all).
     */
    public static void closeRefused(HttpServletRequest request, HttpServletResponse response) {
        if (declared(request)) {
            close(response);
        }
    }

    /**
     * Like {@link #closeRefused}, for a request an endpoint refused: it may have read the body
     * already, and then the connection can stay open.
     */
    public static void closeIfUnread(HttpServletRequest request, HttpServletResponse response) {
        if (declared(request) && !response.isCommitted()) {
            try {
                if (request.getInputStream().isFinished()) {
                    return;
                }
            } catch (IOException | IllegalStateException readerInUse) {
                // fall through: we cannot tell, so close
            }
            close(response);
        }
    }

    private static void close(HttpServletResponse response) {
        response.setHeader("Connection", "close");
    }
}
