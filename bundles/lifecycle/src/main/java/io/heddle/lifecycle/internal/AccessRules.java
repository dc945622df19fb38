package io.heddle.lifecycle.internal;

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
 * <li>bound to any other address: every request needs the token.</li>
 * </ul>
 */
public final class AccessRules {

    public static final long MAX_BODY_BYTES = 1024 * 1024;

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]");

    /** The answer for one request. */
    public enum Verdict { ALLOW, FORBIDDEN_HOST, TOKEN_REQUIRED, BODY_TOO_LARGE }

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
     * @param method        the HTTP method
     * @param hostHeader    the {@code Host} header, or null
     * @param presented     the token from {@code Authorization: Bearer} or the cookie, or null
     * @param contentLength the declared body length, or -1
     */
    public Verdict judge(String method, String hostHeader, String presented, long contentLength) {
        if (loopbackBind && (hostHeader == null || !commonHosts.contains(hostHeader)) && !hostAllowed(hostHeader)) {
            return Verdict.FORBIDDEN_HOST;
        }
        boolean needsToken = !loopbackBind || (!"GET".equals(method) && MUTATING.contains(method.toUpperCase(Locale.ROOT)));
        if (needsToken && !tokenMatches(presented)) {
            return Verdict.TOKEN_REQUIRED;
        }
        if (contentLength > MAX_BODY_BYTES) {
            return Verdict.BODY_TOO_LARGE;
        }
        return Verdict.ALLOW;
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
        return a.regionMatches(true, 0, "Bearer ", 0, 7) ? Optional.of(a.substring(7).trim()) : Optional.empty();
    }
}
