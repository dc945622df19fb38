package io.heddle.jsonhttp.internal;

/**
 * A request that cannot be answered as asked: {@link JsonServlet} turns it into the JSON error
 * envelope with its status (a 4xx for bad input, a 503 when the server cannot serve yet).
 */
public final class HttpProblem extends Exception {
    private static final long serialVersionUID = 1L;

    public final int status;
    public final String code;
    /** The request field at fault (e.g. {@code schedule.intervalMs}), or null. */
    public final String field;

    public HttpProblem(int status, String code, String message) {
        this(status, code, message, null);
    }

    public HttpProblem(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** A 400 that names the field at fault, in the message and as {@code error.field}. */
    public static HttpProblem invalidField(String field, String message) {
        return new HttpProblem(400, "invalid_field", message, field);
    }

    /** A 409 with the code {@code conflict}. */
    public static HttpProblem conflict(String message) {
        return conflict("conflict", message);
    }

    /** A 409 with a code that says which conflict (e.g. {@code session_leased}). */
    public static HttpProblem conflict(String code, String message) {
        return new HttpProblem(409, code, message);
    }

    public static HttpProblem notReady(String message) {
        return new HttpProblem(503, "not_ready", message);
    }

    public static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "bad_request", message);
    }

    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, "not_found", message);
    }

    public static HttpProblem methodNotAllowed(String method, String allowed) {
        return new HttpProblem(405, "method_not_allowed", method + " is not allowed here; use " + allowed + ".");
    }
}
