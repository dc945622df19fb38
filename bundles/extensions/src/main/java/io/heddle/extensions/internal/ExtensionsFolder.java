package io.heddle.extensions.internal;

import io.heddle.storage.internal.HeddleHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Where the extensions folder is and how often it is scanned. The folder: the command line
 * ({@code heddle daemon --extensions-dir}, which the launcher passes as a framework property),
 * else the {@code dir} key of the configuration, else {@code $HEDDLE_HOME/extensions}.
 */
record ExtensionsFolder(Path dir, Duration poll) {

    /** The framework property the launcher sets for {@code heddle daemon --extensions-dir DIR}. */
    static final String DIR_PROPERTY = "heddle.extensions.dir";

    static final long DEFAULT_POLL_MS = 100;
    static final long MIN_POLL_MS = 20;

    /**
     * @param configuredDir     the {@code dir} key; blank when unset
     * @param pollMs            the {@code pollMs} key
     * @param frameworkProperty looks up a framework property (null when unset)
     */
    static ExtensionsFolder resolve(String configuredDir, long pollMs, UnaryOperator<String> frameworkProperty) {
        Path home = HeddleHome.resolve(frameworkProperty);
        String fromCommandLine = frameworkProperty.apply(DIR_PROPERTY);
        String chosen = fromCommandLine != null && !fromCommandLine.isBlank() ? fromCommandLine : configuredDir;
        Path dir = chosen == null || chosen.isBlank()
                ? new HeddleHome(home).extensions()
                : home.resolve(expandHome(chosen.trim()));
        return new ExtensionsFolder(dir.toAbsolutePath().normalize(), Duration.ofMillis(Math.max(MIN_POLL_MS, pollMs)));
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
