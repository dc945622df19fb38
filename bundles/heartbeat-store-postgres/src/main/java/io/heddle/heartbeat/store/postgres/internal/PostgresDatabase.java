package io.heddle.heartbeat.store.postgres.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.heddle.api.heartbeat.store.TaskStoreServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool of the store, its schema, and whether it can be used now. The pool is
 * created without connecting, so a server whose database is down still starts; a probe connects
 * in the background (every {@link #PROBE_MS} while unavailable), migrates the schema once it can,
 * and keeps {@link #problem()} current. Work that cannot get a connection fails within the
 * pool's short connection timeout with the cause in one sentence.
 */
final class PostgresDatabase implements AutoCloseable {

    /** How long a caller waits for a connection before the store answers unavailable. */
    static final long CONNECTION_TIMEOUT_MS = 2_500;

    static final long PROBE_MS = 2_000;
    private static final long PROBE_AVAILABLE_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    /** One unit of work in one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final PostgresStoreSettings settings;
    private final HikariDataSource pool;
    private final ScheduledExecutorService prober;
    private volatile String problem;
    private volatile boolean migrated;
    private final java.util.concurrent.atomic.AtomicBoolean quickProbe =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final Object migrating = new Object();
    private volatile List<TaskStoreServer> servers = List.of();
    /** Servers last seen longer ago are not listed. */
    static final String SERVERS_SEEN_WITHIN = "1 day";

    PostgresDatabase(PostgresStoreSettings settings) {
        this.settings = settings;
        this.problem = "connecting to PostgreSQL at " + settings.host() + ":" + settings.port();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(settings.url());
        ds.setUser(settings.user());
        if (settings.password().length > 0) {
            ds.setPassword(new String(settings.password()));
        }
        ds.setConnectTimeout((int) Math.max(1, CONNECTION_TIMEOUT_MS / 1000));
        ds.setLoginTimeout((int) Math.max(1, CONNECTION_TIMEOUT_MS / 1000));
        ds.setSocketTimeout(30);
        ds.setTcpKeepAlive(true);
        ds.setApplicationName("heddle");
        HikariConfig config = new HikariConfig();
        config.setPoolName("heddle-tasks");
        config.setDataSource(ds);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(1, settings.poolSize()));
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1); // start without the database
        config.setAutoCommit(true);
        this.pool = new HikariDataSource(config);
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heddle-postgres-probe");
            t.setDaemon(true);
            return t;
        });
        prober.execute(() -> probe(true));
    }

    /**
     * The servers that claimed or renewed in the namespace within {@link #SERVERS_SEEN_WITHIN},
     * newest first, as the last probe read them. Never blocks.
     */
    List<TaskStoreServer> servers() {
        return servers;
    }

    /** Why the store cannot be used now, in a sentence; null when it can. Never blocks. */
    String problem() {
        return problem;
    }

    PostgresStoreSettings settings() {
        return settings;
    }

    /** Runs {@code work} in a transaction; a database failure throws {@link UncheckedIOException} naming the cause. */
    <T> T transaction(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            ensureSchema(c);
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                available();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection: the pool drops it; the failure above is the one to report
                }
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void ensureSchema(Connection c) throws SQLException {
        if (!migrated) {
            synchronized (migrating) {
                if (!migrated) {
                    int applied = SchemaMigrator.migrate(c);
                    if (applied > 0) {
                        LOG.info(
                                "PostgreSQL task store {}: applied {} schema migration(s), now at version {}",
                                settings.describe(),
                                applied,
                                SchemaMigrator.latest());
                    }
                    migrated = true;
                }
            }
        }
    }

    /** The exception a caller gets for a database failure; marks the store unavailable when the cause is the connection. */
    UncheckedIOException unavailable(SQLException e) {
        String sentence = PostgresProblems.describe(e, settings);
        if (connectionFailure(e)) {
            unavailable(sentence);
        } else {
            LOG.warn("PostgreSQL task store {}: {}", settings.describe(), sentence);
        }
        return new UncheckedIOException(sentence, new IOException(sentence));
    }

    private void unavailable(String sentence) {
        String before = problem;
        problem = sentence;
        if (!sentence.equals(before)) {
            LOG.warn("PostgreSQL task store {} is unavailable: {}", settings.describe(), sentence);
        }
        // look again every PROBE_MS until it is back (the regular probe may be up to 10 s away)
        if (quickProbe.compareAndSet(false, true)) {
            scheduleQuickProbe();
        }
    }

    private void scheduleQuickProbe() {
        if (prober.isShutdown()) {
            return;
        }
        prober.schedule(
                () -> {
                    if (probe(false)) {
                        quickProbe.set(false);
                    } else {
                        scheduleQuickProbe();
                    }
                },
                PROBE_MS,
                TimeUnit.MILLISECONDS);
    }

    private void available() {
        if (problem != null) {
            problem = null;
            LOG.info("PostgreSQL task store {} is available", settings.describe());
        }
    }

    private static boolean connectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || t instanceof java.net.SocketException
                    || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.UnknownHostException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String s = sql.getSQLState();
                if (s.startsWith("08")
                        || s.startsWith("28")
                        || s.startsWith("57")
                        || s.startsWith("53")
                        || s.equals("3D000")
                        || s.equals("42501")
                        || s.equals("HD001")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Connects and migrates; with {@code reschedule}, runs again later (the one regular probe).
     * Answers whether the database could be used.
     */
    private boolean probe(boolean reschedule) {
        if (pool.isClosed()) {
            return true;
        }
        try (Connection c = pool.getConnection()) {
            ensureSchema(c);
            servers = readServers(c);
            available();
            if (reschedule) {
                prober.schedule(() -> probe(true), PROBE_AVAILABLE_MS, TimeUnit.MILLISECONDS);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            String sentence = e instanceof SQLException sql
                    ? PostgresProblems.describe(sql, settings)
                    : PostgresProblems.describe(e, settings);
            String before = problem;
            problem = sentence;
            if (!sentence.equals(before)) {
                LOG.warn("PostgreSQL task store {} is unavailable: {}", settings.describe(), sentence);
            }
            if (reschedule && !prober.isShutdown()) {
                prober.schedule(() -> probe(true), PROBE_MS, TimeUnit.MILLISECONDS);
            }
            return false;
        }
    }

    private List<TaskStoreServer> readServers(Connection c) throws SQLException {
        List<TaskStoreServer> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT server_id, last_claim_at, last_renew_at, seen_at"
                + " FROM heddle_servers WHERE namespace = ? AND seen_at > now() - interval '" + SERVERS_SEEN_WITHIN
                + "' ORDER BY seen_at DESC, server_id LIMIT 100")) {
            s.setString(1, settings.namespace());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new TaskStoreServer(
                            r.getString(1),
                            instant(r.getTimestamp(2)),
                            instant(r.getTimestamp(3)),
                            instant(r.getTimestamp(4))));
                }
            }
        }
        return List.copyOf(out);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the pool drops it
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
        pool.close();
    }
}
