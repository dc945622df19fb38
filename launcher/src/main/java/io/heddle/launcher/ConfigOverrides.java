package io.heddle.launcher;

import io.heddle.api.heartbeat.LiveRecordSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the {@code $HEDDLE_HOME/etc/<pid>.cfg} overrides (FileInstall's {@code key=value}
 * lines) before any framework exists, so that the launcher agrees with the running servers.
 */
final class ConfigOverrides {

    static final String HEARTBEAT_PID = LiveRecordSettings.PID;
    static final String STALE_AFTER_KEY = LiveRecordSettings.STALE_AFTER_MS;
    static final Duration DEFAULT_STALE_AFTER = Duration.ofMillis(LiveRecordSettings.DEFAULT_STALE_AFTER_MS);

    private ConfigOverrides() {}

    /** The keys of {@code <etcDir>/<pid>.cfg}, values trimmed; empty when the file is missing or unreadable. */
    static Map<String, String> read(Path etcDir, String pid) {
        Path file = etcDir.resolve(pid + ".cfg");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        } catch (NoSuchFileException missing) {
            return Map.of();
        } catch (IOException | IllegalArgumentException unreadable) {
            // The servers would not read it either: their defaults apply, so ours do too.
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key.trim(), properties.getProperty(key).trim());
        }
        return values;
    }

    /**
     * {@code staleAfterMs} of {@code io.heddle.heartbeat}: a positive whole number of
     * milliseconds, else {@link LiveRecordSettings#DEFAULT_STALE_AFTER_MS} (as the registry component does).
     */
    static Duration staleAfter(Path etcDir) {
        String value = read(etcDir, HEARTBEAT_PID).get(STALE_AFTER_KEY);
        java.util.Optional<Long> millis = positiveMillis(value);
        return millis.isPresent() ? Duration.ofMillis(millis.get()) : DEFAULT_STALE_AFTER;
    }

    static java.util.Optional<Long> positiveMillis(String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        String v = value.trim();
        // FileInstall/ConfigAdmin typed notation, e.g. L"45000"
        if (v.length() > 2 && (v.startsWith("L\"") || v.startsWith("l\"")) && v.endsWith("\"")) {
            v = v.substring(2, v.length() - 1);
        } else if (v.length() > 1 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        try {
            long millis = Long.parseLong(v.trim());
            return millis > 0 ? java.util.Optional.of(millis) : java.util.Optional.empty();
        } catch (NumberFormatException notANumber) {
            return java.util.Optional.empty();
        }
    }
}
