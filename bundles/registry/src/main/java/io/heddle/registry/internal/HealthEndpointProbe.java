package io.heddle.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@link EndpointProbe} over plain HTTP/1.1: {@code GET /api/health} (Heddle), then
 * {@code GET /trpc/health} (the reference), both within one short budget (500 ms by default).
 * A server answers when either path gets a {@code 2xx}, or a {@code 401} (a Heddle server bound
 * to a non-loopback address wants its token on every request).
 *
 * <p>It only talks to this machine: a loopback or wildcard host ({@code 0.0.0.0}, {@code ::}) is
 * probed on the loopback address, a literal address of one of this machine's interfaces on that
 * address; any other host (a name other than {@code localhost}, another machine's address) is
 * never contacted and counts as silent, since no server of this user can listen there. Names are
 * never resolved through DNS.
 */
public final class HealthEndpointProbe implements EndpointProbe {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);
    static final List<String> PATHS = List.of("/api/health", "/trpc/health");
    private static final int STATUS_LINE_LIMIT = 256;

    private final Duration timeout;

    public HealthEndpointProbe(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    public HealthEndpointProbe() {
        this(DEFAULT_TIMEOUT);
    }

    @Override
    public Optional<String> silentReason(String host, int port) {
        Optional<InetAddress> address = localAddress(host);
        if (address.isEmpty()) {
            return Optional.of("its host " + host + " is not an address of this machine");
        }
        if (port <= 0) {
            return Optional.of("it names no port");
        }
        String where = hostPort(address.get(), port);
        long end = System.nanoTime() + timeout.toNanos();
        String last = "nothing answers GET " + PATHS.get(0) + " at " + where + " within " + timeout.toMillis() + " ms";
        for (String path : PATHS) {
            long remainingMillis = (end - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                break;
            }
            try {
                int status = status(address.get(), port, path, (int) remainingMillis);
                if ((status >= 200 && status < 300) || status == 401) {
                    return Optional.empty();
                }
                last = "GET " + path + " at " + where + " answers " + (status < 0 ? "no HTTP status" : status);
            } catch (ConnectException refused) {
                return Optional.of("nothing listens on " + where);
            } catch (SocketTimeoutException slow) {
                return Optional.of(
                        "nothing answers GET " + path + " at " + where + " within " + timeout.toMillis() + " ms");
            } catch (IOException e) {
                last = "GET " + path + " at " + where + " failed (" + e.getMessage() + ")";
            }
        }
        return Optional.of(last);
    }

    /** The status code of {@code GET path}, or -1 when the answer is not HTTP. */
    private static int status(InetAddress address, int port, String path, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostPort(address, port)
                    + "\r\nAccept: application/json\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return parseStatus(readLine(socket.getInputStream()));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while (line.length() < STATUS_LINE_LIMIT && (b = in.read()) != -1 && b != '\n') {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    /** {@code HTTP/1.1 200 OK} -> 200; anything else -> -1. */
    static int parseStatus(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[0-9]{3}")) {
            return -1;
        }
        return Integer.parseInt(parts[1]);
    }

    /**
     * The address to probe for a record's host: loopback for a loopback or wildcard host, the
     * address itself when it belongs to this machine, else empty. Literal addresses and
     * {@code localhost} only: no DNS.
     */
    static Optional<InetAddress> localAddress(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return Optional.of(InetAddress.getLoopbackAddress());
        }
        boolean literal = h.matches("[0-9.]+") || (h.contains(":") && h.matches("[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?"));
        if (!literal) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(h);
            if (address.isLoopbackAddress()) {
                return Optional.of(address);
            }
            if (address.isAnyLocalAddress()) {
                return Optional.of(InetAddress.getLoopbackAddress());
            }
            return NetworkInterface.getByInetAddress(address) != null ? Optional.of(address) : Optional.empty();
        } catch (UnknownHostException | SocketException notLocal) {
            return Optional.empty();
        }
    }

    private static String hostPort(InetAddress address, int port) {
        String h = address.getHostAddress();
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
