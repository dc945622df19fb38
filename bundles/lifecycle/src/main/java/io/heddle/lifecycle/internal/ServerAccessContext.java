package io.heddle.lifecycle.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.storage.internal.JsonTree;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The servlet context of one server's HTTP runtime. It applies {@link AccessRules} before
 * any endpoint runs and puts the serving {@link ServerHandle} on the request, so that one
 * servlet serves every handle with that handle's own facts.
 */
final class ServerAccessContext extends ServletContextHelper {

    static final String TOKEN_COOKIE = "heddle_token";

    private final AccessRules rules;
    private final ServerHandle handle;

    ServerAccessContext(AccessRules rules, ServerHandle handle) {
        this.rules = rules;
        this.handle = handle;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (handle.closed()) {
            sendError(response, 503, "not_ready", "This server is shutting down.");
            return false;
        }
        String authorization = request.getHeader("Authorization");
        String presented = authorization == null ? null : AccessRules.bearer(authorization).orElse(null);
        if (presented == null && request.getHeader("Cookie") != null) {
            presented = cookie(request);
        }
        // Parse the query only when it can hold a token: most requests have none.
        String query = request.getQueryString();
        String queryToken = null;
        if (query != null && query.contains("token=") && "GET".equals(request.getMethod())) {
            try {
                queryToken = request.getParameter("token");
            } catch (RuntimeException malformedQuery) {
                sendError(response, 400, "bad_request", "The query string is malformed: " + malformedQuery.getMessage());
                return false;
            }
        }
        if (queryToken != null && rules.tokenMatches(queryToken)) {
            presented = queryToken;
        }
        AccessRules.Verdict verdict = rules.judge(request.getMethod(), request.getHeader("Host"), presented, request.getContentLengthLong());
        if (verdict != AccessRules.Verdict.ALLOW && declaresBody(request)) {
            // A refused request's body is never read: say the connection ends here, so no client
            // reuses it and finds it closed under its next request.
            response.setHeader("Connection", "close");
        }
        switch (verdict) {
            case FORBIDDEN_HOST:
                sendError(response, 403, "forbidden_host", "Requests must address this server as localhost, "
                        + "127.0.0.1 or [::1] with port " + handle.port() + ".");
                return false;
            case TOKEN_REQUIRED:
                response.setHeader("WWW-Authenticate", "Bearer realm=\"heddle\"");
                sendError(response, 401, "token_required", "This call needs the server's token: send "
                        + "'Authorization: Bearer <token>' with the token from " + handle.tokenFile() + ".");
                return false;
            case BODY_TOO_LARGE:
                sendError(response, 413, "body_too_large", "The request body is larger than 1 MiB.");
                return false;
            case ALLOW:
            default:
                break;
        }
        if (queryToken != null && rules.tokenMatches(queryToken)) {
            // Opening /?token=... once trades the token for a cookie, then drops it from the URL.
            Cookie cookie = new Cookie(TOKEN_COOKIE, queryToken);
            cookie.setHttpOnly(true);
            cookie.setPath("/");
            cookie.setAttribute("SameSite", "Strict");
            response.addCookie(cookie);
            response.setStatus(303);
            response.setHeader("Location", request.getRequestURI());
            return false;
        }
        request.setAttribute(ServerHandle.REQUEST_ATTRIBUTE, handle);
        return true;
    }

    private static boolean declaresBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (TOKEN_COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }

    static void sendError(HttpServletResponse response, int status, String code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        byte[] bytes = JsonTree.writeCompact(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
