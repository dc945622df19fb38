package io.heddle.logging.internal;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger: SLF4J's base class funnels every call into
 * {@link #handleNormalizedLoggingCall} after checking the level, and each {@code isXxxEnabled()}
 * is one volatile read of the logger's shared threshold (Jetty asks on every request).
 */
final class Slf4jLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final transient LogBackend backend;
    private final transient LoggerLevel level;

    Slf4jLogger(LogBackend backend, String name) {
        this.backend = backend;
        this.name = name;
        this.level = backend.levelOf(name);
    }

    @Override
    public boolean isTraceEnabled() {
        return level.enabled(io.heddle.logging.internal.Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return level.enabled(io.heddle.logging.internal.Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return level.enabled(io.heddle.logging.internal.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return level.enabled(io.heddle.logging.internal.Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return level.enabled(io.heddle.logging.internal.Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level slf4jLevel, Marker marker, String pattern, Object[] arguments, Throwable thrown) {
        String message = arguments == null || arguments.length == 0
                ? pattern
                : MessageFormatter.basicArrayFormat(pattern, arguments);
        backend.log(name, levelOf(slf4jLevel), message, thrown);
    }

    static io.heddle.logging.internal.Level levelOf(Level slf4jLevel) {
        switch (slf4jLevel) {
            case TRACE:
                return io.heddle.logging.internal.Level.TRACE;
            case DEBUG:
                return io.heddle.logging.internal.Level.DEBUG;
            case INFO:
                return io.heddle.logging.internal.Level.INFO;
            case WARN:
                return io.heddle.logging.internal.Level.WARN;
            default:
                return io.heddle.logging.internal.Level.ERROR;
        }
    }
}
