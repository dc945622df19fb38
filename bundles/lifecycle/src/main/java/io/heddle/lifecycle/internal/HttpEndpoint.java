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
            HttpServiceRuntime runtime = tracker.waitForService(deadline.toMillis());
            ServiceReference<HttpServiceRuntime> ref = tracker.getServiceReference();
            if (runtime == null || ref == null) {
                boolean inUse = requestedPort != 0 && !canBind(host, requestedPort);
                if (inUse) {
                    throw portInUse(requestedPort, null);
                }
                throw new BindFailure("The HTTP server for " + host + ":" + requestedPort + " did not start within "
                        + deadline.toSeconds() + " s. See logs/server.log for the cause.", false, null);
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

    private BindFailure portInUse(int requestedPort, Throwable cause) {
        return new BindFailure("Port " + requestedPort + " on " + host + " is already in use by another program. "
                + "Stop that program or choose another port with --port.", true, cause);
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

    /** Deletes the configuration and waits, with a deadline, until the runtime is gone (listener closed). */
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
