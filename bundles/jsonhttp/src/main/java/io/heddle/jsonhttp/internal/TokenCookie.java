package io.heddle.jsonhttp.internal;

import io.heddle.api.lifecycle.ServerHandle;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/** The {@link ServerHandle#TOKEN_COOKIE} cookie a browser presents the server's token in. */
public final class TokenCookie {

    private TokenCookie() {}

    /**
     * The cookie's value, or null when the request has none. A malformed {@code Cookie} header
     * fails as the container fails it (a runtime exception).
     */
    public static String presented(HttpServletRequest request) {
        if (request.getHeader("Cookie") == null) {
            return null;
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (ServerHandle.TOKEN_COOKIE.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
