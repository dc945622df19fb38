package io.heddle.logging.internal;

import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LoggerConsumer;

/**
 * An OSGi Log Service {@code Logger} ({@code {}} placeholders) or {@code FormatterLogger}
 * (printf): each level check is one volatile read, formatting happens only when enabled.
 */
final class OsgiLogger implements FormatterLogger {

    private final LogBackend backend;
    private final String name;
    private final LoggerLevel level;
    private final boolean printf;

    OsgiLogger(LogBackend backend, String name, boolean printf) {
        this.backend = backend;
        this.name = name;
        this.level = backend.levelOf(name);
        this.printf = printf;
    }

    private void log(Level at, String message) {
        if (level.enabled(at)) {
            backend.log(name, at, message, null);
        }
    }

    private void log(Level at, String pattern, Object... args) {
        if (level.enabled(at)) {
            R7Format.Result result = R7Format.format(pattern, args, printf);
            backend.log(name, at, result.message, result.thrown);
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isTraceEnabled() {
        return level.enabled(Level.TRACE);
    }

    @Override
    public void trace(String message) {
        log(Level.TRACE, message);
    }

    @Override
    public void trace(String format, Object arg) {
        log(Level.TRACE, format, arg);
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        log(Level.TRACE, format, arg1, arg2);
    }

    @Override
    public void trace(String format, Object... arguments) {
        log(Level.TRACE, format, arguments);
    }

    @Override
    public <E extends Exception> void trace(LoggerConsumer<E> consumer) throws E {
        if (isTraceEnabled()) {
            consumer.accept(this);
        }
    }

    @Override
    public boolean isDebugEnabled() {
        return level.enabled(Level.DEBUG);
    }

    @Override
    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    @Override
    public void debug(String format, Object arg) {
        log(Level.DEBUG, format, arg);
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        log(Level.DEBUG, format, arg1, arg2);
    }

    @Override
    public void debug(String format, Object... arguments) {
        log(Level.DEBUG, format, arguments);
    }

    @Override
    public <E extends Exception> void debug(LoggerConsumer<E> consumer) throws E {
        if (isDebugEnabled()) {
            consumer.accept(this);
        }
    }

    @Override
    public boolean isInfoEnabled() {
        return level.enabled(Level.INFO);
    }

    @Override
    public void info(String message) {
        log(Level.INFO, message);
    }

    @Override
    public void info(String format, Object arg) {
        log(Level.INFO, format, arg);
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        log(Level.INFO, format, arg1, arg2);
    }

    @Override
    public void info(String format, Object... arguments) {
        log(Level.INFO, format, arguments);
    }

    @Override
    public <E extends Exception> void info(LoggerConsumer<E> consumer) throws E {
        if (isInfoEnabled()) {
            consumer.accept(this);
        }
    }

    @Override
    public boolean isWarnEnabled() {
        return level.enabled(Level.WARN);
    }

    @Override
    public void warn(String message) {
        log(Level.WARN, message);
    }

    @Override
    public void warn(String format, Object arg) {
        log(Level.WARN, format, arg);
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        log(Level.WARN, format, arg1, arg2);
    }

    @Override
    public void warn(String format, Object... arguments) {
        log(Level.WARN, format, arguments);
    }

    @Override
    public <E extends Exception> void warn(LoggerConsumer<E> consumer) throws E {
        if (isWarnEnabled()) {
            consumer.accept(this);
        }
    }

    @Override
    public boolean isErrorEnabled() {
        return level.enabled(Level.ERROR);
    }

    @Override
    public void error(String message) {
        log(Level.ERROR, message);
    }

    @Override
    public void error(String format, Object arg) {
        log(Level.ERROR, format, arg);
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        log(Level.ERROR, format, arg1, arg2);
    }

    @Override
    public void error(String format, Object... arguments) {
        log(Level.ERROR, format, arguments);
    }

    @Override
    public <E extends Exception> void error(LoggerConsumer<E> consumer) throws E {
        if (isErrorEnabled()) {
            consumer.accept(this);
        }
    }

    @Override
    public void audit(String message) {
        log(Level.AUDIT, message);
    }

    @Override
    public void audit(String format, Object arg) {
        log(Level.AUDIT, format, arg);
    }

    @Override
    public void audit(String format, Object arg1, Object arg2) {
        log(Level.AUDIT, format, arg1, arg2);
    }

    @Override
    public void audit(String format, Object... arguments) {
        log(Level.AUDIT, format, arguments);
    }
}
