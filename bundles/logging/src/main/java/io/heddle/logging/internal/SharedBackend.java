package io.heddle.logging.internal;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The one backend of this bundle's class loader. SLF4J finds its provider through
 * {@code ServiceLoader} (a no-argument constructor), so the provider reaches the backend here.
 * It exists from the first use, writing to the file named by {@code heddle.log.file} (stderr when
 * unset), so a line logged before the activator runs is not lost.
 */
final class SharedBackend {

    /** The system (or framework) property that names the log file; the launcher sets it. */
    static final String LOG_FILE_PROPERTY = "heddle.log.file";

    private static final LogBackend BACKEND =
            new LogBackend(Clock.systemDefaultZone(), sinkFor(System.getProperty(LOG_FILE_PROPERTY)));

    private SharedBackend() {}

    static LogBackend get() {
        return BACKEND;
    }

    /** The file sink for {@code file}, or stderr when it is null or blank. */
    static LogSink sinkFor(String file) {
        if (file == null || file.isBlank()) {
            return new StderrSink();
        }
        return new RollingFileSink(Path.of(file.trim()));
    }
}
