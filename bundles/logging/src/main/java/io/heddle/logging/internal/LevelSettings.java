package io.heddle.logging.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The level of every logger: a root level and levels by logger name prefix, the longest prefix
 * winning. A prefix matches a logger of that name and the loggers below it
 * ({@code org.eclipse.jetty} matches {@code org.eclipse.jetty.server.Server}, not
 * {@code org.eclipse.jettyx}).
 *
 * <p>A configuration (PID {@value #PID}) is laid over the {@linkplain #defaults() defaults}:
 * {@code level} sets the root, {@code level.<prefix>} one prefix; other keys are ignored.
 */
final class LevelSettings {

    /** The Configuration Admin PID of the levels. */
    static final String PID = "io.heddle.logging";

    static final String ROOT_KEY = "level";
    static final String PREFIX_KEY = "level.";

    private final Level root;
    private final Map<String, Level> prefixes;

    LevelSettings(Level root, Map<String, Level> prefixes) {
        this.root = root;
        this.prefixes = Collections.unmodifiableMap(new LinkedHashMap<>(prefixes));
    }

    /** Today's levels: info, Jetty and Felix HTTP warn, Jetty's parser and authority checks error. */
    static LevelSettings defaults() {
        Map<String, Level> prefixes = new LinkedHashMap<>();
        // Jetty and the HTTP whiteboard: warnings only (never a line per request).
        prefixes.put("org.eclipse.jetty", Level.WARN);
        prefixes.put("org.apache.felix.http", Level.WARN);
        // They warn about bad requests quoting the input in full; the lifecycle logs those refusals
        // itself, once a minute per cause with the input cut short (io.heddle.lifecycle.internal.RefusalLog).
        prefixes.put("org.eclipse.jetty.http.HttpParser", Level.ERROR);
        prefixes.put("org.eclipse.jetty.util.HostPort", Level.ERROR);
        return new LevelSettings(Level.INFO, prefixes);
    }

    Level root() {
        return root;
    }

    Map<String, Level> prefixes() {
        return prefixes;
    }

    /** The level of {@code logger}: its longest matching prefix's, else the root's. */
    Level resolve(String logger) {
        String name = logger == null ? "" : logger;
        Level found = root;
        int longest = -1;
        for (Map.Entry<String, Level> entry : prefixes.entrySet()) {
            String prefix = entry.getKey();
            if (prefix.length() > longest && matches(name, prefix)) {
                found = entry.getValue();
                longest = prefix.length();
            }
        }
        return found;
    }

    private static boolean matches(String name, String prefix) {
        return name.startsWith(prefix) && (name.length() == prefix.length() || name.charAt(prefix.length()) == '.');
    }

    /** The most verbose level any logger can have. */
    Level mostVerbose() {
        Level most = root;
        for (Level level : prefixes.values()) {
            if (level.ordinal() < most.ordinal()) {
                most = level;
            }
        }
        return most;
    }

    /** The outcome of reading a configuration: the settings and one message per bad entry. */
    static final class Parsed {
        final LevelSettings settings;
        final List<String> problems;

        Parsed(LevelSettings settings, List<String> problems) {
            this.settings = settings;
            this.problems = List.copyOf(problems);
        }
    }

    /**
     * The defaults with {@code properties} laid over them; null (no configuration) gives the
     * defaults. A bad value is left out and reported; the rest applies.
     */
    static Parsed parse(Map<String, ?> properties) {
        LevelSettings defaults = defaults();
        if (properties == null) {
            return new Parsed(defaults, List.of());
        }
        Level root = defaults.root;
        Map<String, Level> prefixes = new LinkedHashMap<>(defaults.prefixes);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ?> entry : properties.entrySet()) {
            String key = entry.getKey();
            boolean isRoot = key.equals(ROOT_KEY);
            if (!isRoot && !key.startsWith(PREFIX_KEY)) {
                continue;
            }
            String value = entry.getValue() == null ? null : String.valueOf(entry.getValue());
            Level level = Level.parse(value);
            String prefix = isRoot ? "" : key.substring(PREFIX_KEY.length()).trim();
            if (level == null) {
                problems.add("The configuration " + PID + " sets " + key + " to '" + value
                        + "', which is not a level; allowed: " + Level.ALLOWED + ". It is ignored; the rest applies.");
            } else if (!isRoot && prefix.isEmpty()) {
                problems.add("The configuration " + PID + " has the key '" + key
                        + "' without a logger name; use level=<level> for the root, or level.<logger name>=<level>."
                        + " It is ignored; the rest applies.");
            } else if (isRoot) {
                root = level;
            } else {
                prefixes.put(prefix, level);
            }
        }
        return new Parsed(new LevelSettings(root, prefixes), problems);
    }
}
