package io.heddle.logging.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where every logging API of the framework ends: the levels by logger name, the line format and
 * the sink. Thread-safe; a failure to write never reaches the caller.
 */
final class LogBackend {

    /** The logger name of this bundle's own lines (e.g. a bad level in the configuration). */
    static final String OWN_LOGGER = "io.heddle.logging";

    private final Clock clock;
    private final LineFormat format;
    private final Object levelsLock = new Object();
    private final Map<String, LoggerLevel> levels = new ConcurrentHashMap<>();
    private volatile LevelSettings settings = LevelSettings.defaults();
    private volatile LogSink sink;

    LogBackend(Clock clock, LogSink sink) {
        this.clock = clock;
        this.format = new LineFormat(clock.getZone());
        this.sink = sink;
    }

    /** The shared threshold of {@code name}, created at the current levels. */
    LoggerLevel levelOf(String name) {
        String key = name == null ? "" : name;
        LoggerLevel level = levels.get(key);
        if (level == null) {
            synchronized (levelsLock) {
                level = levels.computeIfAbsent(key, n -> new LoggerLevel(n, settings.resolve(n)));
            }
        }
        return level;
    }

    LevelSettings settings() {
        return settings;
    }

    /** Takes a configuration of PID {@code io.heddle.logging} (null: none, the defaults) and logs each bad entry. */
    void configure(Map<String, ?> properties) {
        LevelSettings.Parsed parsed = LevelSettings.parse(properties);
        apply(parsed.settings);
        LoggerLevel own = levelOf(OWN_LOGGER);
        for (String problem : parsed.problems) {
            if (own.enabled(Level.WARN)) {
                log(OWN_LOGGER, Level.WARN, problem, null);
            }
        }
    }

    void apply(LevelSettings next) {
        synchronized (levelsLock) {
            settings = next;
            for (LoggerLevel level : levels.values()) {
                level.set(next.resolve(level.name));
            }
        }
    }

    /** Writes one line; callers check the level first. */
    void log(String logger, Level level, String message, Throwable thrown) {
        try {
            String line =
                    format.format(clock.millis(), level, Thread.currentThread().getName(), logger, message, thrown);
            sink.write(line);
        } catch (RuntimeException e) {
            // a logging call never fails its caller
        }
    }

    void setSink(LogSink next) {
        LogSink previous = sink;
        sink = next;
        if (previous != next) {
            previous.close();
        }
    }

    LogSink sink() {
        return sink;
    }
}
