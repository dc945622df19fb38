package io.heddle.logging.internal;

/**
 * The threshold of one logger name, shared by every logger object of that name (SLF4J, OSGi,
 * java.util.logging) and recomputed by {@link LogBackend} when the levels change, so that an
 * {@code isDebugEnabled()} is one volatile read.
 */
final class LoggerLevel {

    final String name;
    private volatile int threshold;

    LoggerLevel(String name, Level threshold) {
        this.name = name;
        this.threshold = threshold.ordinal();
    }

    boolean enabled(Level level) {
        return level.ordinal() >= threshold;
    }

    void set(Level threshold) {
        this.threshold = threshold.ordinal();
    }
}
