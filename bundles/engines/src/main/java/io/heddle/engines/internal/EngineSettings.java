package io.heddle.engines.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of one named model engine, read from its factory configuration
 * ({@code $HEDDLE_HOME/etc/<factoryPid>-<name>.cfg}). Values may be strings (a {@code .cfg}
 * file holds only strings) or numbers (set through Configuration Admin). Bad values do not
 * stop the engine from being listed: they are collected as {@link #problems()}, and an engine
 * with problems answers every message with them.
 *
 * <p>The API key is never a setting: {@code apiKeyFile} names a file readable only by its
 * owner, {@code apiKeyEnv} names an environment variable.
 */
final class EngineSettings {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
    static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
    static final long DEFAULT_TIMEOUT_MS = 300_000;
    static final long MAX_TIMEOUT_MS = 24L * 60 * 60 * 1000;
    /** Keys that are never passed on: a key must not be written into configuration at all. */
    static final List<String> REFUSED_KEYS = List.of("apiKey", "api_key", "key", "token", "password");

    final String factoryPid;
    final String name;
    final String source;
    final URI baseUrl;
    final String model;
    final ApiKeySource apiKey;
    final Duration connectTimeout;
    final Duration idleTimeout;
    final Duration timeout;
    final int ranking;
    final String systemPrompt;
    /** Sampling parameters, by this engine's setting name, only those that are set. */
    final Map<String, Number> sampling;
    /** Protocol-specific text settings (e.g. {@code anthropicVersion}). */
    final Map<String, String> extra;

    private final List<String> problems;

    private EngineSettings(Builder b) {
        this.factoryPid = b.factoryPid;
        this.name = b.name;
        this.source = b.source;
        this.baseUrl = b.baseUrl;
        this.model = b.model;
        this.apiKey = b.apiKey;
        this.connectTimeout = Duration.ofMillis(b.connectTimeoutMs);
        this.idleTimeout = Duration.ofMillis(b.idleTimeoutMs);
        this.timeout = Duration.ofMillis(b.timeoutMs);
        this.ranking = b.ranking;
        this.systemPrompt = b.systemPrompt;
        this.sampling = Map.copyOf(b.sampling);
        this.extra = Map.copyOf(b.extra);
        this.problems = List.copyOf(b.problems);
    }

    /** What is wrong with the configuration itself (not the key), in words that say what to do. */
    List<String> problems() {
        return problems;
    }

    /**
     * A sampling parameter the protocol knows.
     *
     * @param key     the setting's name, e.g. {@code temperature}
     * @param integer whether it must be a whole number
     * @param min     the smallest value accepted
     * @param max     the largest value accepted
     */
    record SamplingKey(String key, boolean integer, double min, double max) {}

    /**
     * Reads one configuration.
     *
     * @param properties     the configuration's properties
     * @param factoryPid     the factory PID (for messages)
     * @param defaultBaseUrl the base URL when none is set, or null when it is required
     * @param sampling       the sampling keys the protocol has
     * @param extraDefaults  protocol text settings and their defaults
     */
    static EngineSettings parse(
            Map<String, ?> properties,
            String factoryPid,
            String defaultBaseUrl,
            List<SamplingKey> sampling,
            Map<String, String> extraDefaults) {
        Builder b = new Builder();
        b.factoryPid = factoryPid;
        b.source = source(properties, factoryPid);
        b.name = nameOf(properties, factoryPid);
        if (!NAME.matcher(b.name).matches()) {
            b.problems.add("the engine name '" + b.name + "' is not 1-64 letters, digits, '.', '_' or '-'; set "
                    + "name in " + b.source + ".");
        }
        for (String refused : REFUSED_KEYS) {
            if (properties.containsKey(refused)) {
                b.problems.add("a key must not be written into " + b.source + " ('" + refused + "' is ignored): "
                        + "remove it, and name a file (apiKeyFile) or an environment variable (apiKeyEnv) instead.");
            }
        }
        String base = text(properties, "baseUrl");
        if (base == null) {
            base = defaultBaseUrl;
        }
        if (base == null) {
            b.problems.add("baseUrl is not set in " + b.source + ", e.g. baseUrl=http://127.0.0.1:11434/v1.");
        } else {
            try {
                URI uri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                    // the value itself is not repeated: a mistyped URL may hold a key
                    b.problems.add("baseUrl in " + b.source + " is not an http or https URL with a host.");
                } else if (uri.getUserInfo() != null || uri.getRawQuery() != null) {
                    b.problems.add("baseUrl in " + b.source + " must not hold a user, password or query: name the "
                            + "key with apiKeyFile or apiKeyEnv.");
                } else {
                    b.baseUrl = uri;
                }
            } catch (IllegalArgumentException e) {
                b.problems.add("baseUrl in " + b.source + " is not a URL. Write it as http://host:port/path.");
            }
        }
        b.model = text(properties, "model");
        if (b.model == null) {
            b.problems.add("model is not set in " + b.source + ", e.g. model=llama3.2.");
        }
        String keyFile = text(properties, "apiKeyFile");
        String keyEnv = text(properties, "apiKeyEnv");
        if (keyFile != null && keyEnv != null) {
            b.problems.add("both apiKeyFile and apiKeyEnv are set in " + b.source + ": keep one.");
        }
        b.apiKey = keyFile != null
                ? ApiKeySource.file(keyFile, b.source)
                : keyEnv != null ? ApiKeySource.env(keyEnv, b.source) : ApiKeySource.none(b.source);
        b.connectTimeoutMs = millis(properties, "connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS, b);
        b.idleTimeoutMs = millis(properties, "idleTimeoutMs", DEFAULT_IDLE_TIMEOUT_MS, b);
        b.timeoutMs = millis(properties, "timeoutMs", DEFAULT_TIMEOUT_MS, b);
        Object ranking =
                properties.containsKey("ranking") ? properties.get("ranking") : properties.get("service.ranking");
        if (ranking != null) {
            Double r = number(ranking);
            if (r == null || r != Math.rint(r) || Math.abs(r) > Integer.MAX_VALUE) {
                b.problems.add("ranking in " + b.source + " must be a whole number.");
            } else {
                b.ranking = r.intValue();
            }
        }
        b.systemPrompt = text(properties, "systemPrompt");
        for (SamplingKey key : sampling) {
            Object raw = properties.get(key.key());
            if (raw == null || (raw instanceof String && ((String) raw).isBlank())) {
                continue;
            }
            Double value = number(raw);
            if (value == null
                    || value < key.min()
                    || value > key.max()
                    || (key.integer() && value != Math.rint(value))) {
                b.problems.add(key.key() + " in " + b.source + " must be a " + (key.integer() ? "whole " : "")
                        + "number from " + plain(key.min()) + " to " + plain(key.max()) + ", not '" + raw + "'.");
                continue;
            }
            b.sampling.put(key.key(), key.integer() ? (Number) value.longValue() : (Number) value);
        }
        extraDefaults.forEach((key, fallback) -> {
            String value = text(properties, key);
            b.extra.put(key, value == null ? fallback : value);
        });
        return new EngineSettings(b);
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * The engine's name: {@code name}, else the part of a named factory configuration's PID
     * after {@code ~} (Configuration Admin 1.6), else the part of its FileInstall file name after
     * {@code <factoryPid>-}, else the PID.
     */
    static String nameOf(Map<String, ?> properties, String factoryPid) {
        String explicit = text(properties, "name");
        if (explicit != null) {
            return explicit;
        }
        String pid = text(properties, "service.pid");
        if (pid != null && pid.contains("~")) {
            return pid.substring(pid.lastIndexOf('~') + 1);
        }
        String file = text(properties, "felix.fileinstall.filename");
        if (file != null) {
            String base = file.substring(file.lastIndexOf('/') + 1);
            if (base.endsWith(".cfg") || base.endsWith(".config")) {
                base = base.substring(0, base.lastIndexOf('.'));
            }
            if (base.startsWith(factoryPid + "-")) {
                return base.substring(factoryPid.length() + 1);
            }
            return base;
        }
        return pid == null ? factoryPid : pid;
    }

    /** Where the configuration came from, for messages: its file, or its PID. */
    private static String source(Map<String, ?> properties, String factoryPid) {
        String file = text(properties, "felix.fileinstall.filename");
        if (file != null) {
            return file.startsWith("file:") ? URI.create(file).getPath() : file;
        }
        String pid = text(properties, "service.pid");
        return "configuration " + (pid == null ? factoryPid : pid);
    }

    private static long millis(Map<String, ?> properties, String key, long fallback, Builder b) {
        Object raw = properties.get(key);
        if (raw == null || (raw instanceof String && ((String) raw).isBlank())) {
            return fallback;
        }
        Double value = number(raw);
        if (value == null || value != Math.rint(value) || value < 1 || value > MAX_TIMEOUT_MS) {
            b.problems.add(key + " in " + b.source + " must be a whole number of milliseconds from 1 to "
                    + MAX_TIMEOUT_MS + ", not '" + raw + "'.");
            return fallback;
        }
        return value.longValue();
    }

    static String text(Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        if (value instanceof String[] && ((String[]) value).length == 1) {
            value = ((String[]) value)[0];
        }
        if (!(value instanceof String)) {
            return value == null ? null : String.valueOf(value);
        }
        String trimmed = ((String) value).trim();
        return trimmed.isEmpty() ? null : trimmed;
    }

    static Double number(Object raw) {
        if (raw instanceof Number) {
            return ((Number) raw).doubleValue();
        }
        if (raw instanceof String) {
            try {
                double d = Double.parseDouble(((String) raw).trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static final class Builder {
        String factoryPid;
        String name;
        String source;
        URI baseUrl;
        String model;
        ApiKeySource apiKey;
        long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
        long timeoutMs = DEFAULT_TIMEOUT_MS;
        int ranking;
        String systemPrompt;
        final Map<String, Number> sampling = new LinkedHashMap<>();
        final Map<String, String> extra = new LinkedHashMap<>();
        final List<String> problems = new ArrayList<>();
    }

    /** The first problem, configuration before key. */
    Optional<String> firstProblem() {
        if (!problems.isEmpty()) {
            return Optional.of(problems.get(0));
        }
        return apiKey.problem();
    }
}
