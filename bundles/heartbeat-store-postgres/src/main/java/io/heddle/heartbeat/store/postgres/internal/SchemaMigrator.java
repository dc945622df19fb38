package io.heddle.heartbeat.store.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations (decision 0083): the ordered SQL scripts below, each applied once
 * in its own transaction and recorded in {@code heddle_schema_version}. A session advisory lock
 * keeps two servers that start together from migrating at once; the second waits, then finds
 * nothing to do.
 */
final class SchemaMigrator {

    /** The scripts, in order: script i is schema version i + 1. Never edit one that shipped. */
    static final List<String> MIGRATIONS = List.of("V1__tasks_leases_runs.sql", "V2__servers.sql");

    /** The key of the advisory lock ('heddle' in ASCII). */
    private static final long LOCK_KEY = 0x686564646c65L;

    private SchemaMigrator() {}

    /** The version the code knows. */
    static int latest() {
        return MIGRATIONS.size();
    }

    /** Brings the schema to {@link #latest()}; answers how many scripts it applied. */
    static int migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(true);
        try (Statement lock = connection.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                return migrateLocked(connection);
            } finally {
                connection.setAutoCommit(true);
                lock.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static int migrateLocked(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS heddle_schema_version (version integer PRIMARY KEY,"
                    + " script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        }
        int current = current(connection);
        if (current > latest()) {
            throw new SQLException(
                    "the database's heddle schema is version " + current + ", newer than this server" + " knows ("
                            + latest() + "): upgrade Heddle on this server",
                    "HD001");
        }
        int applied = 0;
        for (int version = current + 1; version <= latest(); version++) {
            String script = MIGRATIONS.get(version - 1);
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement();
                    PreparedStatement record = connection.prepareStatement(
                            "INSERT INTO heddle_schema_version (version, script) VALUES (?, ?)")) {
                s.execute(read(script));
                record.setInt(1, version);
                record.setString(2, script);
                record.executeUpdate();
                connection.commit();
                applied++;
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
        return applied;
    }

    /** The schema version recorded in the database (0 for an empty one). */
    static int current(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM heddle_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static String read(String script) {
        try (InputStream in = SchemaMigrator.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration " + script + " is missing from the bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("migration " + script + " cannot be read", e);
        }
    }
}
