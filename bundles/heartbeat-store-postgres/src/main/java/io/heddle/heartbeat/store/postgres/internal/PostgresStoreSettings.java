package io.heddle.heartbeat.store.postgres.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration {@code io.heddle.heartbeat.store.postgres}, checked. {@link #parse} answers
 * either settings or one sentence naming the bad key and its fix; the password is read from its
 * file or variable here and is never part of {@link #toString()} or {@link #describe()}.
 */
record PostgresStoreSettings(
        String url,
        String host,
        int port,
        String database,
        String user,
        char[] password,
        String namespace,
        int poolSize,
        long leaseTtlMs,
        int historyLimit,
        Set<String> runners) {

    static final String PID = "io.heddle.heartbeat.store.postgres";
    static final long DEFAULT_LEASE_TTL_MS = 30_000;
    static final int DEFAULT_POOL_SIZE = 4;
    static final int DEFAULT_HISTORY_LIMIT = 50;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** A bad configuration: one sentence for health and the log. */
    static final class BadSettings extends Exception {
        private static final long serialVersionUID = 1L;

        BadSettings(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses a configuration's properties; {@code env} answers environment variables. */
    static PostgresStoreSettings parse(Map<String, ?> props, Function<String, String> env) throws BadSettings {
        String where = " in etc/" + PID + ".cfg";
        String url = text(props, "url");
        if (url == null) {
            throw new BadSettings("url is missing" + where + ": set url=jdbc:postgresql://<host>:<port>/<database>");
        }
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new BadSettings(
                    "url must start with jdbc:postgresql://" + where + " (it is '" + redactUrl(url) + "')");
        }
        URI uri;
        try {
            uri = URI.create(url.substring("jdbc:".length()));
        } catch (IllegalArgumentException e) {
            throw new BadSettings("url is not a valid jdbc:postgresql://<host>:<port>/<database> address" + where);
        }
        if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
            throw new BadSettings(
                    "url must name a host and a database, as jdbc:postgresql://<host>:<port>/<database>" + where);
        }
        if (uri.getRawQuery() != null
                && uri.getRawQuery().toLowerCase(java.util.Locale.ROOT).contains("password")) {
            throw new BadSettings("url must not carry the password" + where + ": use passwordFile or passwordEnv");
        }
        String user = text(props, "user");
        if (user == null) {
            throw new BadSettings("user is missing" + where + ": set user=<the database role>");
        }
        char[] password = password(props, env, where);
        String namespace = text(props, "namespace");
        if (namespace == null) {
            namespace = "default";
        }
        if (!NAME.matcher(namespace).matches()) {
            throw new BadSettings("namespace '" + namespace + "' is not valid" + where
                    + ": use letters, digits, '.', '_' or '-' (at most 64)");
        }
        int poolSize = (int) number(props, "poolSize", DEFAULT_POOL_SIZE, 1, 64, where);
        long leaseTtlMs = number(props, "leaseTtlMs", DEFAULT_LEASE_TTL_MS, 1_000, 3_600_000, where);
        int historyLimit = (int) number(props, "historyLimit", DEFAULT_HISTORY_LIMIT, 1, 10_000, where);
        String runnersText = text(props, "runners");
        if (runnersText == null) {
            throw new BadSettings("runners is missing" + where + ": list the runner kinds this server runs from the"
                    + " namespace, e.g. runners=command");
        }
        Set<String> runners = new LinkedHashSet<>();
        for (String kind : runnersText.split(",")) {
            String k = kind.strip();
            if (!k.isEmpty()) {
                if (!NAME.matcher(k).matches()) {
                    throw new BadSettings("runners names '" + k + "', which is not a runner kind" + where);
                }
                runners.add(k);
            }
        }
        if (runners.isEmpty()) {
            throw new BadSettings("runners is empty" + where + ": list at least one runner kind, e.g. runners=command");
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        return new PostgresStoreSettings(
                url,
                uri.getHost(),
                port,
                uri.getPath().substring(1),
                user,
                password,
                namespace,
                poolSize,
                leaseTtlMs,
                historyLimit,
                Collections.unmodifiableSet(runners));
    }

    /** What the store is, for health, status and logs: never the password. */
    String describe() {
        return "postgresql://" + host + ":" + port + "/" + database + " namespace " + namespace;
    }

    @Override
    public String toString() {
        return "PostgresStoreSettings[" + describe() + ", user=" + user + ", poolSize=" + poolSize + ", leaseTtlMs="
                + leaseTtlMs + ", historyLimit=" + historyLimit + ", runners=" + runners + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PostgresStoreSettings s
                && s.toString().equals(toString())
                && java.util.Arrays.equals(s.password, password);
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    private static char[] password(Map<String, ?> props, Function<String, String> env, String where)
            throws BadSettings {
        String file = text(props, "passwordFile");
        String variable = text(props, "passwordEnv");
        if (file != null && variable != null) {
            throw new BadSettings("passwordFile and passwordEnv are both set" + where + ": keep one");
        }
        if (variable != null) {
            String value = env.apply(variable);
            if (value == null || value.isEmpty()) {
                throw new BadSettings("passwordEnv names " + variable + ", which is not set in the server's"
                        + " environment: export it before starting the server, or use passwordFile");
            }
            return value.toCharArray();
        }
        if (file == null) {
            return new char[0]; // trust or peer authentication
        }
        Path path = Path.of(file);
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            List<PosixFilePermission> others = new ArrayList<>(permissions);
            others.remove(PosixFilePermission.OWNER_READ);
            others.remove(PosixFilePermission.OWNER_WRITE);
            if (!others.isEmpty()) {
                throw new BadSettings("passwordFile " + path + " can be read by others: run chmod 600 " + path);
            }
            String value = Files.readString(path, StandardCharsets.UTF_8);
            if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
                if (value.endsWith("\r")) {
                    value = value.substring(0, value.length() - 1);
                }
            }
            return value.toCharArray();
        } catch (NoSuchFileException e) {
            throw new BadSettings("passwordFile " + path + " does not exist: write the password into it (chmod 600)");
        } catch (UnsupportedOperationException e) {
            throw new BadSettings(
                    "passwordFile " + path + " is on a file system without permissions: use" + " passwordEnv");
        } catch (IOException e) {
            throw new BadSettings(
                    "passwordFile " + path + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static long number(Map<String, ?> props, String key, long dflt, long min, long max, String where)
            throws BadSettings {
        Object value = props.get(key);
        if (value == null || value.toString().isBlank()) {
            return dflt;
        }
        long n;
        try {
            n = value instanceof Number num
                    ? num.longValue()
                    : Long.parseLong(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new BadSettings(key + " '" + value + "' is not a number" + where);
        }
        if (n < min || n > max) {
            throw new BadSettings(key + " " + n + " is out of range" + where + ": use " + min + " to " + max);
        }
        return n;
    }

    private static String text(Map<String, ?> props, String key) {
        Object value = props.get(key);
        if (value == null) {
            return null;
        }
        String s = value.toString().strip();
        return s.isEmpty() ? null : s;
    }

    /** The URL without anything after '?', for messages. */
    private static String redactUrl(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }
}
