package io.heddle.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;

/** Whether a port can be bound, or accepts connections. */
final class PortProbe {

    private PortProbe() {}

    /**
     * True when nobody listens on {@code host:port}. The probe binds a socket with
     * {@code SO_REUSEADDR} and never listens: it cannot make a concurrent server's bind fail, and
     * concurrent probes cannot see each other as "in use" (a listening probe would do both).
     */
    static boolean canBind(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts connections on {@code host:port} (the wildcard address means this machine). */
    static boolean accepts(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(connectableHost(host), port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A host to connect to for a server bound to {@code host}: the wildcard becomes loopback. */
    static String connectableHost(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                return InetAddress.getLoopbackAddress().getHostAddress();
            }
        } catch (UnknownHostException e) {
            return host;
        }
        return host;
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
