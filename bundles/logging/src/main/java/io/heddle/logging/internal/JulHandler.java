package io.heddle.logging.internal;

import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * A handler on the java.util.logging root logger (the PostgreSQL driver logs there), forwarding
 * to the backend while the bundle is active. JUL's own levels filter first (its root is INFO
 * unless a configuration asks for more, see {@link LoggingActivator}).
 */
final class JulHandler extends Handler {

    private static final Formatter MESSAGES = new SimpleFormatter();

    private final LogBackend backend;

    JulHandler(LogBackend backend) {
        this.backend = backend;
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        String name = record.getLoggerName() == null ? "" : record.getLoggerName();
        Level level = levelOf(record.getLevel());
        if (level == Level.OFF || !backend.levelOf(name).enabled(level)) {
            return;
        }
        String message;
        try {
            message = MESSAGES.formatMessage(record);
        } catch (RuntimeException e) {
            message = record.getMessage();
        }
        backend.log(name, level, message, record.getThrown());
    }

    /** SEVERE error, WARNING warn, INFO and CONFIG info, FINE debug, FINER and FINEST trace. */
    static Level levelOf(java.util.logging.Level jul) {
        int value = jul == null ? java.util.logging.Level.INFO.intValue() : jul.intValue();
        if (value == java.util.logging.Level.OFF.intValue()) {
            return Level.OFF;
        }
        if (value >= java.util.logging.Level.SEVERE.intValue()) {
            return Level.ERROR;
        }
        if (value >= java.util.logging.Level.WARNING.intValue()) {
            return Level.WARN;
        }
        if (value >= java.util.logging.Level.CONFIG.intValue()) {
            return Level.INFO;
        }
        if (value >= java.util.logging.Level.FINE.intValue()) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /** The JUL level that lets {@code level} and above through. */
    static java.util.logging.Level julLevel(Level level) {
        switch (level) {
            case TRACE:
                return java.util.logging.Level.ALL;
            case DEBUG:
                return java.util.logging.Level.FINE;
            case INFO:
                return java.util.logging.Level.INFO;
            case WARN:
                return java.util.logging.Level.WARNING;
            case ERROR:
                return java.util.logging.Level.SEVERE;
            default:
                return java.util.logging.Level.OFF;
        }
    }

    @Override
    public void flush() {
        // every line is written at once
    }

    @Override
    public void close() {
        // the backend belongs to the bundle
    }
}
