package io.heddle.logging.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's provider, found by SLF4J's {@code ServiceLoader} in this bundle's own
 * {@code META-INF/services} (SLF4J's classes are loaded by this bundle, so no SPI Fly is needed).
 * Loggers write to the {@link SharedBackend}.
 */
public final class HeddleSlf4jProvider implements SLF4JServiceProvider {

    private final LogBackend backend;
    private final Factory factory;
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new BasicMDCAdapter();

    /** For SLF4J's {@code ServiceLoader}: the shared backend. */
    public HeddleSlf4jProvider() {
        this(SharedBackend.get());
    }

    HeddleSlf4jProvider(LogBackend backend) {
        this.backend = backend;
        this.factory = new Factory(backend);
    }

    /** One logger object per name. */
    static final class Factory implements ILoggerFactory {
        private final LogBackend backend;
        private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

        Factory(LogBackend backend) {
            this.backend = backend;
        }

        @Override
        public Logger getLogger(String name) {
            return loggers.computeIfAbsent(name, n -> new Slf4jLogger(backend, n));
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // everything is ready at construction
    }

    LogBackend backend() {
        return backend;
    }
}
