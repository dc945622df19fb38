package io.heddle.logging.internal;

import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;

/**
 * The OSGi {@code LogService} and {@code LoggerFactory} of one bundle (a {@link ServiceFactory}
 * gives each bundle its own). A logger without a name, and the legacy {@code log(int, ...)}
 * methods, use the bundle's symbolic name as the logger name.
 */
final class BundleLogService implements LogService {

    private final LogBackend backend;
    private final String bundleName;
    private final LoggerLevel bundleLevel;

    BundleLogService(LogBackend backend, Bundle bundle) {
        this.backend = backend;
        this.bundleName = nameOf(bundle);
        this.bundleLevel = backend.levelOf(bundleName);
    }

    static String nameOf(Bundle bundle) {
        if (bundle == null) {
            return "LogService";
        }
        String name = bundle.getSymbolicName();
        return name == null ? "bundle." + bundle.getBundleId() : name;
    }

    /** Hands each bundle its own {@link BundleLogService}. */
    static final class Factory implements ServiceFactory<Object> {
        private final LogBackend backend;

        Factory(LogBackend backend) {
            this.backend = backend;
        }

        @Override
        public Object getService(Bundle bundle, ServiceRegistration<Object> registration) {
            return new BundleLogService(backend, bundle);
        }

        @Override
        public void ungetService(Bundle bundle, ServiceRegistration<Object> registration, Object service) {
            // nothing held per bundle
        }
    }

    @Override
    public Logger getLogger(String name) {
        return getLogger(name, Logger.class);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName(), Logger.class);
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> loggerType) {
        return logger(name, loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> loggerType) {
        return logger(clazz.getName(), loggerType);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> loggerType) {
        String loggerName =
                name == null || name.isEmpty() || Logger.ROOT_LOGGER_NAME.equals(name) ? nameOf(bundle) : name;
        return logger(loggerName, loggerType);
    }

    private <L extends Logger> L logger(String name, Class<L> loggerType) {
        Objects.requireNonNull(loggerType, "loggerType");
        String loggerName = name == null || name.isEmpty() || Logger.ROOT_LOGGER_NAME.equals(name) ? bundleName : name;
        if (loggerType == FormatterLogger.class) {
            return loggerType.cast(new OsgiLogger(backend, loggerName, true));
        }
        if (loggerType == Logger.class) {
            return loggerType.cast(new OsgiLogger(backend, loggerName, false));
        }
        throw new IllegalArgumentException("Unsupported logger type " + loggerType.getName()
                + ": use org.osgi.service.log.Logger or FormatterLogger");
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message) {
        log(null, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(int level, String message, Throwable exception) {
        log(null, level, message, exception);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message) {
        log(sr, level, message, null);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void log(ServiceReference<?> sr, int level, String message, Throwable exception) {
        Level at = legacyLevel(level);
        if (bundleLevel.enabled(at)) {
            backend.log(bundleName, at, message, exception);
        }
    }

    /** LOG_ERROR 1, LOG_WARNING 2, LOG_INFO 3, LOG_DEBUG 4; below 1 counts as an error, above 4 as trace. */
    static Level legacyLevel(int level) {
        if (level <= 1) {
            return Level.ERROR;
        }
        switch (level) {
            case 2:
                return Level.WARN;
            case 3:
                return Level.INFO;
            case 4:
                return Level.DEBUG;
            default:
                return Level.TRACE;
        }
    }
}
