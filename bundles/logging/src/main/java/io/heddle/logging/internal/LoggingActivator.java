package io.heddle.logging.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;

/**
 * Starts the server's logging: the file (property {@code heddle.log.file}, stderr when unset), the
 * OSGi {@code LogService}/{@code LoggerFactory} per bundle, the java.util.logging handler and the
 * levels' configuration. A plain activator (no SCR): the launcher starts this bundle first.
 */
public final class LoggingActivator implements BundleActivator {

    private final LogBackend backend;
    private ServiceRegistration<?> logService;
    private ServiceRegistration<?> configuration;
    private JulHandler julHandler;
    private java.util.logging.Level julRootLevel;
    private java.util.logging.Handler[] julRootHandlers = new java.util.logging.Handler[0];

    /** For the framework: the bundle's shared backend (SLF4J's provider writes to it too). */
    public LoggingActivator() {
        this(SharedBackend.get());
    }

    LoggingActivator(LogBackend backend) {
        this.backend = backend;
    }

    @Override
    public void start(BundleContext context) {
        String file = context.getProperty(SharedBackend.LOG_FILE_PROPERTY);
        String wanted = file == null || file.isBlank()
                ? null
                : Path.of(file.trim()).toAbsolutePath().toString();
        if (!Objects.equals(destination(backend.sink()), wanted)) {
            backend.setSink(SharedBackend.sinkFor(file));
        }
        java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
        julRootLevel = julRoot.getLevel();
        // JUL's console handler would print the same lines on stderr: set aside while active
        julRootHandlers = julRoot.getHandlers();
        for (java.util.logging.Handler handler : julRootHandlers) {
            julRoot.removeHandler(handler);
        }
        julHandler = new JulHandler(backend);
        julRoot.addHandler(julHandler);
        logService = context.registerService(
                new String[] {LogService.class.getName(), LoggerFactory.class.getName()},
                new BundleLogService.Factory(backend),
                new Hashtable<>(Map.of("service.vendor", "Heddle")));
        try {
            configuration = LevelConfiguration.register(context, this::configure);
        } catch (NoClassDefFoundError e) {
            // no Configuration Admin API in this framework: the defaults stay
            configuration = null;
        }
    }

    /** Applies a configuration (null: the defaults) and lets JUL pass what the levels let through. */
    void configure(Map<String, Object> properties) {
        backend.configure(properties);
        java.util.logging.Logger.getLogger("")
                .setLevel(JulHandler.julLevel(backend.settings().mostVerbose()));
    }

    private static String destination(LogSink sink) {
        return sink instanceof RollingFileSink ? ((RollingFileSink) sink).path().toString() : null;
    }

    @Override
    public void stop(BundleContext context) {
        if (configuration != null) {
            configuration.unregister();
            configuration = null;
        }
        if (logService != null) {
            logService.unregister();
            logService = null;
        }
        java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
        if (julHandler != null) {
            julRoot.removeHandler(julHandler);
            julRoot.setLevel(julRootLevel);
            for (java.util.logging.Handler handler : julRootHandlers) {
                julRoot.addHandler(handler);
            }
            julHandler = null;
        }
        // closes the file; a line logged later (a bundle stopping after this one) opens it again
        backend.sink().close();
    }
}
