package io.heddle.lifecycle.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.JsonResponses;
import io.heddle.jsonhttp.internal.RequestBodies;
import io.heddle.jsonhttp.internal.TokenCookie;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.osgi.service.servlet.context.ServletContextHelper;

/**
 * The servlet context of one server's HTTP runtime. It applies {@link AccessRules} before
 * any endpoint runs and puts the serving {@link ServerHandle} on the request, so that one
 * servlet serves every handle with that handle's own facts.
 */
final class ServerAccessContext extends ServletContextHelper {

    private final AccessRules rules;
    private final ServerHandle handle;
    private final RefusalLog refusals;
    private volatile boolean errorHandlerInstalled;

    ServerAccessContext(AccessRules rules, ServerHandle handle, RefusalLog refusals) {
        this.rules = rules;
        this.handle = handle;
        this.refusals = refusals;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        installJsonErrorHandler();
        if (handle.closed()) {
            sendError(response, 503, "not_ready", "This server is shutting down.");
            return false;
        }
        String authorization = request.getHeader("Authorization");
        String presented =
                authorization == null ? null : AccessRules.bearer(authorization).orElse(null);
        AccessRules.TokenSource source =
                presented == null ? AccessRules.TokenSource.NONE : AccessRules.TokenSource.BEARER;
        if (presented == null && request.getHeader("Cookie") != null) {
            try {
                presented = TokenCookie.presented(request);
            } catch (RuntimeException malformedCookie) {
                refusals.refused("bad_cookie", "a malformed Cookie header", request.getHeader("Cookie"));
                sendError(response, 400, "bad_request", "The Cookie header is malformed.");
                return false;
            }
            if (presented != null) {
                source = AccessRules.TokenSource.COOKIE;
            }
        }
        // Parse the query only when it can hold a token: most requests have none.
        String query = request.getQueryString();
        String queryToken = null;
        if (query != null && query.contains("token=") && "GET".equals(request.getMethod())) {
            try {
                queryToken = request.getParameter("token");
            } catch (RuntimeException malformedQuery) {
                refusals.refused("bad_query", "a malformed query string", query);
                sendError(response, 400, "bad_request", "The query string is malformed (bad percent-encoding?).");
                return false;
            }
        }
        if (queryToken != null && rules.tokenMatches(queryToken)) {
            presented = queryToken;
            source = AccessRules.TokenSource.QUERY;
        }
        String host = request.getHeader("Host");
        AccessRules.Verdict verdict = rules.judge(new AccessRules.RequestFacts(
                request.getMethod(),
                host,
                presented,
                source,
                request.getHeader("Origin"),
                request.getHeader("Sec-Fetch-Site"),
                request.getContentType(),
                RequestBodies.declared(request),
                request.getContentLengthLong()));
        if (verdict != AccessRules.Verdict.ALLOW) {
            RequestBodies.closeRefused(request, response); // its body is never read
        }
        switch (verdict) {
            case FORBIDDEN_HOST:
                refusals.refused("forbidden_host", "a request for another host (DNS rebinding?)", host);
                sendError(
                        response,
                        403,
                        "forbidden_host",
                        "Requests must address this server as localhost, " + "127.0.0.1 or [::1] with port "
                                + handle.port() + ".");
                return false;
            case TOKEN_REQUIRED:
                response.setHeader("WWW-Authenticate", "Bearer realm=\"heddle\"");
                sendError(
                        response,
                        401,
                        "token_required",
                        "This call needs the server's token: send "
                                + "'Authorization: Bearer <token>' with the token from " + handle.tokenFile() + ".");
                return false;
            case FORBIDDEN_ORIGIN:
                refusals.refused(
                        "forbidden_origin",
                        "a cookie-authenticated " + request.getMethod() + " from another origin",
                        request.getHeader("Origin") != null
                                ? "Origin " + request.getHeader("Origin")
                                : "Sec-Fetch-Site " + request.getHeader("Sec-Fetch-Site"));
                sendError(
                        response,
                        403,
                        "forbidden_origin",
                        "A change authorised by the heddle_token cookie must come "
                                + "from this server's own pages ("
                                + (rules.loopbackBind()
                                        ? "Origin http://127.0.0.1:" + handle.port() + ", http://localhost:"
                                                + handle.port() + " or http://[::1]:" + handle.port()
                                        : "an Origin of http:// and the Host you address it by")
                                + "). Scripts and tools send "
                                + "'Authorization: Bearer <token>' instead.");
                return false;
            case BODY_TOO_LARGE:
                sendError(response, 413, "body_too_large", RequestBodies.TOO_LARGE_MESSAGE);
                return false;
            case UNSUPPORTED_MEDIA_TYPE:
                sendError(
                        response,
                        415,
                        "unsupported_media_type",
                        "Send the body as application/json, " + "or send no body.");
                return false;
            case ALLOW:
            default:
                break;
        }
        if (queryToken != null && rules.tokenMatches(queryToken)) {
            // Opening /?token=... once trades the token for a cookie, then drops it from the URL.
            Cookie cookie = new Cookie(ServerHandle.TOKEN_COOKIE, queryToken);
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

    /** Points Jetty's own refusals (bad URI, bad header, ...) at the JSON error handler; see {@link JsonErrorHandler}. */
    private void installJsonErrorHandler() {
        try {
            if (JsonErrorHandler.installOnCurrentServer(refusals)) {
                errorHandlerInstalled = true;
            }
        } catch (RuntimeException | LinkageError notJetty) {
            // another HTTP implementation: its refusals keep their own shape
        }
    }

    /** Whether a request through this context has put the JSON error handler on its Jetty server. */
    boolean errorHandlerInstalled() {
        return errorHandlerInstalled;
    }

    private static void sendError(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        JsonResponses.writeRefusal(response, status, code, message);
    }
}
