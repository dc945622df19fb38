package io.heddle.http.internal;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.jsonhttp.internal.HttpProblem;
import io.heddle.jsonhttp.internal.TokenCookie;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * {@code GET /api/session}: {@code {"signedIn":true|false}}, whether this request carries
 * this server's token (the {@code heddle_token} cookie or {@code Authorization: Bearer}). It
 * needs no token itself, so a page can say "sign in with {@code heddle open}" before the user
 * tries a change, instead of meeting a raw 401.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/api/session")
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=" + ServerHandle.CONTEXT_NAME + ")")
public final class SessionServlet extends JsonApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected Object handle(
            String method, HttpServletRequest request, HttpServletResponse response, ServerHandle server)
            throws HttpProblem {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw HttpProblem.methodNotAllowed(method, "GET");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "signedIn",
                signedIn(request.getHeader("Authorization"), TokenCookie.presented(request), server.token()));
        return body;
    }

    /** Whether the bearer token or, without one, the cookie is {@code token}. */
    static boolean signedIn(String authorization, String cookie, String token) {
        String presented = null;
        if (authorization != null && authorization.trim().regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.trim().substring(7).trim();
        } else if (cookie != null) {
            presented = cookie;
        }
        return presented != null
                && MessageDigest.isEqual(
                        presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
