package io.heddle.chat.internal;

/**
 * A request that cannot be answered as asked: becomes a JSON error with a 4xx status. A copy
 * of the {@code http} bundle's class (both are private; see JsonApiServlet).
 */
final class HttpProblem extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    HttpProblem(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static HttpProblem badRequest(String message) {
        return new HttpProblem(400, "bad_request", message);
    }

    static HttpProblem notFound(String message) {
        return new HttpProblem(404, "not_found", message);
    }

    static HttpProblem conflict(String code, String message) {
        return new HttpProblem(409, code, message);
    }

    static HttpProblem methodNotAllowed(String method, String allowed) {
        return new HttpProblem(405, "method_not_allowed", method + " is not allowed here; use " + allowed + ".");
    }
}
