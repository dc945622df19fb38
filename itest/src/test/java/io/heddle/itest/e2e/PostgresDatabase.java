package io.heddle.itest.e2e;

import io.heddle.itest.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.rules.ExternalResource;

/**
 * A PostgreSQL server with one database owned by role {@code heddle}, for the end-to-end tests of
 * the PostgreSQL task store: {@code @ClassRule public static final PostgresDatabase DATABASE =
 * new PostgresDatabase("tasks", PASSWORD);}, started before the class and stopped after it.
 */
public final class PostgresDatabase extends ExternalResource {

    /** The role that owns the database, and the store's {@code user}. */
    public static final String ROLE = "heddle";

    private final String database;
    private final String password;
    private PostgresServer server;

    public PostgresDatabase(String database, String password) {
        this.database = database;
        this.password = password;
    }

    @Override
    protected void before() throws IOException {
        server = PostgresServer.start();
        server.createDatabase(database, ROLE, password);
    }

    @Override
    protected void after() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The running server (to stop, restart or query it). */
    public PostgresServer server() {
        return server;
    }

    /** The JDBC URL of the database. */
    public String jdbcUrl() {
        return server.jdbcUrl(database);
    }

    /**
     * Configures {@code sandbox}'s PostgreSQL task store: {@code password} in a private
     * {@code pgpass} file of its home, and {@code etc/io.heddle.heartbeat.store.postgres.cfg} with
     * {@code url}, user {@link #ROLE}, that file, then {@code settings} (lines, each ending in a newline).
     */
    public static void configureStore(HeddleSandbox sandbox, String url, String password, String settings)
            throws IOException {
        Path etc = Files.createDirectories(sandbox.home().resolve("etc"));
        Path secret = sandbox.home().resolve("pgpass");
        Files.writeString(secret, password + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(
                etc.resolve("io.heddle.heartbeat.store.postgres.cfg"),
                "url=" + url + "\nuser=" + ROLE + "\npasswordFile=" + secret + "\n" + settings);
    }
}
