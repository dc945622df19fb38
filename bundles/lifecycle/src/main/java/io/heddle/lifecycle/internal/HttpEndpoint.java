package io.heddle.lifecycle.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One Felix HTTP (Jetty) instance, created through a factory configuration
 * {@code org.apache.felix.http~<name>} and removed again on close.
 *
 * <p>Felix HTTP reports a port in use only in its log: no {@link HttpServiceRuntime} appears.
 * So the bind is judged by waiting, with a deadline, for the runtime whose
 * {@code org.apache.felix.http.name} is ours, and a port in use is told apart by trying to
 * bind it ourselves.
 */
final class HttpEndpoint {

    static final String FACTORY_PID = "org.apache.felix.http";
    static final String NAME_PROPERTY = "org.apache.felix.http.name";
    static final String PORT_PROPERTY = "org.osgi.service.http.port";

    /** Why a bind failed. */
    static final class BindFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean portInUse;

        BindFailure(String message, boolean portInUse, Throwable cause) {
            super(message, cause);
            this.portInUse = portInUse;
        }
    }

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final String name;
    private final String host;
    private Configuration configuration;
    private ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> tracker;
    private int port;

    HttpEndpoint(BundleContext context, ConfigurationAdmin configAdmin, String name, String host) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.name = name;
        this.host = host;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    /** The filter that targets whiteboard services at this instance only. */
    String targetFilter() {
        return "(" + NAME_PROPERTY + "=" + name + ")";
    }

    /** Creates the instance and waits until it listens; answers the real port. */
    int bind(int requestedPort, Duration deadline) throws BindFailure {
        if (requestedPort != 0 && !canBind(host, requestedPort)) {
            throw portInUse(requestedPort, null);
        }
        try {
            Filter filter = FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "="
                    + HttpServiceRuntime.class.getName() + ")" + targetFilter() + ")");
            tracker = new ServiceTracker<>(context, filter, null) {
                @Override
                public void removedService(ServiceReference<HttpServiceRuntime> reference, HttpServiceRuntime service) {
                    super.removedService(reference, service);
                    synchronized (HttpEndpoint.this) {
                        HttpEndpoint.this.notifyAll();
                    }
                }
            };
            tracker.open();
            configuration = configAdmin.getFactoryConfiguration(FACTORY_PID, name, "?");
            Dictionary<String, Object> props = new Hashtable<>();
            props.put(NAME_PROPERTY, name);
            props.put("org.apache.felix.http.host", host);
            props.put(PORT_PROPERTY, requestedPort);
            props.put("org.apache.felix.http.enable", true);
            props.put("org.apache.felix.https.enable", false);
            props.put("org.apache.felix.http.jetty.sendServerHeader", false);
            configuration.update(props);
            long end = System.nanoTime() + deadline.toNanos();
            ServiceReference<HttpServiceRuntime> ref = awaitSettledRuntime(end);
            if (ref == null) {
                boolean inUse = requestedPort != 0 && !canBind(host, requestedPort);
                if (inUse) {
                    throw portInUse(requestedPort, null);
                }
                throw new BindFailure(
                        "The HTTP server for " + host + ":" + requestedPort + " did not start within "
                                + deadline.toSeconds() + " s. See logs/server.log for the cause.",
                        false,
                        null);
            }
            port = portOf(ref, requestedPort);
            return port;
        } catch (InvalidSyntaxException | IOException e) {
            throw new BindFailure("Could not configure the HTTP server: " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BindFailure("Interrupted while starting the HTTP server", false, e);
        }
    }

    /**
     * Waits for our runtime and makes sure it stays: Felix HTTP may replace a just-registered
     * runtime once while it settles, so a runtime counts only when its DTO can be read and the
     * same service is still registered afterwards.
     */
    private ServiceReference<HttpServiceRuntime> awaitSettledRuntime(long endNanos) throws InterruptedException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            HttpServiceRuntime runtime = tracker.waitForService(left);
            ServiceReference<HttpServiceRuntime> ref = tracker.getServiceReference();
            if (runtime == null || ref == null) {
                return null;
            }
            try {
                runtime.getRuntimeDTO();
            } catch (IllegalStateException replacedMeanwhile) {
                continue;
            }
            if (ref.equals(tracker.getServiceReference())) {
                return ref;
            }
        }
    }

    private BindFailure portInUse(int requestedPort, Throwable cause) {
        return new BindFailure(
                "Port " + requestedPort + " on " + host + " is already in use by another program. "
                        + "Stop that program or choose another port with --port.",
                true,
                cause);
    }

    private static int portOf(ServiceReference<?> ref, int fallback) {
        Object value = ref.getProperty(PORT_PROPERTY);
        if (value instanceof Number) {
            return ((Number) value).intValue();
        }
        if (value instanceof String) {
            try {
                return Integer.parseInt((String) value);
            } catch (NumberFormatException ignored) {
                return fallback;
            }
        }
        return fallback;
    }

    /**
     * Whether nobody listens on {@code host:port}. The probe binds with {@code SO_REUSEADDR} and
     * never listens: a listening probe, however brief, makes a concurrent Jetty bind of another
     * process fail silently (and that start then waits out the whole bind deadline).
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

    /**
     * Waits, up to {@code deadline}, until at least one servlet serves the servlet context
     * {@code contextName} on this instance. Declarative Services activates the endpoint
     * components asynchronously; without this a request right after start could get a 404.
     * Answers false when none appeared (e.g. no endpoint bundle is installed); that is not an error.
     */
    boolean awaitServlets(String contextName, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            HttpServiceRuntime runtime = tracker == null ? null : tracker.getService();
            if (runtime != null) {
                try {
                    for (org.osgi.service.servlet.runtime.dto.ServletContextDTO dto :
                            runtime.getRuntimeDTO().servletContextDTOs) {
                        if (contextName.equals(dto.name) && dto.servletDTOs != null && dto.servletDTOs.length > 0) {
                            return true;
                        }
                    }
                } catch (IllegalStateException unregisteredMeanwhile) {
                    // the instance is restarting; look again
                }
            }
            if (System.nanoTime() > end) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Sends one {@code GET /api/health} to the instance and reads the answer, so that the first
     * request through the {@code heddle} context has run before anyone else's: that request
     * installs the JSON error handler for Jetty's own refusals. Failures are ignored (the next
     * request installs it).
     */
    void touch(int port) {
        try (Socket socket = new Socket()) {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                address = InetAddress.getLoopbackAddress();
            }
            socket.connect(new InetSocketAddress(address, port), 1000);
            socket.setSoTimeout(2000);
            String authority = address instanceof java.net.Inet6Address
                    ? "[" + address.getHostAddress() + "]"
                    : address.getHostAddress();
            if (address.isLoopbackAddress()) {
                authority = address instanceof java.net.Inet6Address ? "[::1]" : "127.0.0.1";
            }
            socket.getOutputStream()
                    .write(("GET /api/health HTTP/1.1\r\nHost: " + authority + ":" + port
                                    + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.getInputStream().readAllBytes();
        } catch (IOException ignored) {
            // the next request through the context installs it
        }
    }

    /** Whether something accepts connections on the port (a wildcard host is checked on loopback). */
    static boolean listening(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                address = InetAddress.getLoopbackAddress();
            }
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes the configuration and waits, with a deadline, until the runtime is gone and the port is closed. */
    void close(Duration deadline) throws IOException {
        try {
            if (configuration != null) {
                configuration.delete();
            }
            if (tracker != null) {
                long end = System.nanoTime() + deadline.toNanos();
                synchronized (this) {
                    while (tracker.size() > 0) {
                        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                        if (left <= 0) {
                            break;
                        }
                        wait(left);
                    }
                }
                // Felix HTTP unregisters the runtime before Jetty has closed its socket: wait
                // for the listener itself, so that "closed" means the port is free.
                while (port > 0 && listening(host, port) && System.nanoTime() < end) {
                    Thread.sleep(5);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException alreadyDeleted) {
            // the configuration was deleted elsewhere (e.g. ConfigAdmin stopped): nothing to undo
        } finally {
            if (tracker != null) {
                tracker.close();
            }
        }
    }
}
