package io.heddle.lifecycle.internal;

import io.heddle.jsonhttp.internal.RequestBodies;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The local-daemon access rules, as pure decisions (no servlet types), so they can be tested
 * alone:
 * <ul>
 * <li>bound to loopback: the {@code Host} header must name {@code localhost}, {@code 127.0.0.1}
 *     or {@code [::1]} with the bound port (DNS-rebinding defence), else 403;</li>
 * <li>mutating methods need the token, else 401;</li>
 * <li>a mutating request whose token came from the {@code heddle_token} cookie (a browser) must
 *     come from the server's own origin: {@code Origin} is {@code http://} and a host form the
 *     Host check accepts, or, without {@code Origin}, {@code Sec-Fetch-Site: same-origin}; else
 *     403 {@code forbidden_origin} (a page on another port of localhost is same-site, so the
 *     cookie's {@code SameSite=Strict} alone does not stop it);</li>
 * <li>a mutating request carries {@code application/json} or no body, else 415 (an HTML form
 *     can post only form or text bodies);</li>
 * <li>bound to any other address: every request needs the token.</li>
 * </ul>
 */
public final class AccessRules {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    /** The answer for one request. */
    public enum Verdict {
        ALLOW,
        FORBIDDEN_HOST,
        TOKEN_REQUIRED,
        FORBIDDEN_ORIGIN,
        BODY_TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE
    }

    /** Where the presented token came from. */
    public enum TokenSource {
        NONE,
        BEARER,
        COOKIE,
        QUERY
    }

    /**
     * The facts of one request the rules look at.
     *
     * @param method        the HTTP method
     * @param host          the {@code Host} header, or null
     * @param token         the presented token, or null
     * @param tokenSource   where {@code token} came from
     * @param origin        the {@code Origin} header, or null
     * @param secFetchSite  the {@code Sec-Fetch-Site} header, or null
     * @param contentType   the {@code Content-Type} header, or null
     * @param declaresBody  whether the request declares a body (a positive length, or a transfer coding)
     * @param contentLength the declared body length, or -1
     */
    public record RequestFacts(
            String method,
            String host,
            String token,
            TokenSource tokenSource,
            String origin,
            String secFetchSite,
            String contentType,
            boolean declaresBody,
            long contentLength) {}

    private final boolean loopbackBind;
    private final int port;
    private final byte[] token;
    /** The Host values browsers and clients send most, checked first without parsing. */
    private final Set<String> commonHosts;

    public AccessRules(String boundHost, int port, String token) {
        this.loopbackBind = isLoopback(boundHost);
        this.port = port;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.commonHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    public boolean loopbackBind() {
        return loopbackBind;
    }

    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // literal addresses only: never resolve names through DNS here
            if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false;
            }
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The verdict for a client that sends the token as {@code Authorization: Bearer} and a JSON body, if any.
     *
     * @param method        the HTTP method
     * @param hostHeader    the {@code Host} header, or null
     * @param presented     the token from {@code Authorization: Bearer}, or null
     * @param contentLength the declared body length, or -1
     */
    public Verdict judge(String method, String hostHeader, String presented, long contentLength) {
        // a client with the bearer header and a JSON body, if any
        return judge(new RequestFacts(
                method,
                hostHeader,
                presented,
                presented == null ? TokenSource.NONE : TokenSource.BEARER,
                null,
                null,
                "application/json",
                contentLength > 0,
                contentLength));
    }

    /** The verdict for one request; the first rule it breaks decides. */
    public Verdict judge(RequestFacts request) {
        String hostHeader = request.host();
        if (loopbackBind && (hostHeader == null || !commonHosts.contains(hostHeader)) && !hostAllowed(hostHeader)) {
            return Verdict.FORBIDDEN_HOST;
        }
        String method = request.method();
        boolean mutating = !"GET".equals(method) && MUTATING.contains(method.toUpperCase(Locale.ROOT));
        boolean needsToken = !loopbackBind || mutating;
        if (needsToken && !tokenMatches(request.token())) {
            return Verdict.TOKEN_REQUIRED;
        }
        if (mutating
                && request.tokenSource() == TokenSource.COOKIE
                && !sameOrigin(request.origin(), request.secFetchSite(), hostHeader)) {
            return Verdict.FORBIDDEN_ORIGIN;
        }
        if (request.contentLength() > RequestBodies.MAX_BYTES) {
            return Verdict.BODY_TOO_LARGE;
        }
        if (mutating && request.declaresBody() && !isJson(request.contentType())) {
            return Verdict.UNSUPPORTED_MEDIA_TYPE;
        }
        return Verdict.ALLOW;
    }

    /**
     * Whether a browser says the request comes from this server's own pages: an {@code Origin}
     * of {@code http://} and a host form the Host check accepts (on a non-loopback bind: the
     * request's own {@code Host}), or, without {@code Origin}, {@code Sec-Fetch-Site: same-origin}.
     */
    boolean sameOrigin(String origin, String secFetchSite, String hostHeader) {
        if (origin == null) {
            return secFetchSite != null && secFetchSite.trim().equalsIgnoreCase("same-origin");
        }
        String o = origin.trim();
        if (!o.regionMatches(true, 0, "http://", 0, 7)) {
            return false; // "null", https (we serve none), other schemes
        }
        String authority = o.substring(7);
        if (authority.isEmpty() || authority.indexOf('/') >= 0 || authority.indexOf('@') >= 0) {
            return false; // an origin has no path and no user info
        }
        if (loopbackBind) {
            return hostAllowed(authority);
        }
        return hostHeader != null && authority.equalsIgnoreCase(hostHeader.trim());
    }

    /** {@code application/json}, with parameters (a charset) or none. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    boolean hostAllowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        String name;
        String portPart;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return false;
            }
            name = host.substring(0, close + 1);
            portPart = host.substring(close + 1);
        } else {
            int colon = host.lastIndexOf(':');
            name = colon < 0 ? host : host.substring(0, colon);
            portPart = colon < 0 ? "" : host.substring(colon);
        }
        if (!LOOPBACK_NAMES.contains(name)) {
            return false;
        }
        if (portPart.isEmpty()) {
            return port == 80;
        }
        return portPart.equals(":" + port);
    }

    public boolean tokenMatches(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of an {@code Authorization: Bearer <token>} header. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String a = authorization.trim();
        return a.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(a.substring(7).trim())
                : Optional.empty();
    }
}
