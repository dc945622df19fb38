package io.heddle.http.internal;

/** A request that cannot be answered as asked: becomes a JSON error with a 4xx status. */
final class HttpProblem extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    /** The request field at fault (e.g. {@code schedule.intervalMs}), or null. */
    final String field;

    HttpProblem(int status, String code, String message) {
        this(status, code, message, null);
    }

    HttpProblem(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    /** A 400 that names the field at fault, in the message and as {@code error.field}. */
    static HttpProblem invalidField(String field, String message) {
        return new HttpProblem(400, "invalid_field", message, field);
    }

    static HttpProblem conflict(String message) {
        return new HttpProblem(409, "conflict", message);
    }

    static HttpProblem notReady(String message) {
        return new HttpProblem(503, "not_ready", message);
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "bad_request", message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, "not_found", message);
    }

    static HttpProblem methodNotAllowed(String method, String allowed) {
        return new HttpProblem(405, "method_not_allowed", method + " is not allowed here; use " + allowed + ".");
    }
}
