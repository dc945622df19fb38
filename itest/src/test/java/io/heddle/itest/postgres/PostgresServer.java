package io.heddle.itest.postgres;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 for tests: Debian's binaries under {@code /usr/lib/postgresql/15/bin}, a
 * data folder under the build's {@code target/}, a free port on 127.0.0.1 and the unix socket in
 * that folder. {@code initdb} refuses root, so when the tests run as root (CI) every PostgreSQL
 * program runs as the {@code postgres} user through {@code runuser}. Missing binaries fail the
 * test with the fix ({@code .ci/run} installs them); nothing is skipped.
 *
 * <p>Host connections need a password (scram-sha-256); the harness itself talks to the server
 * as the superuser over the unix socket ({@code psql}), so tests need no JDBC driver.
 */
public final class PostgresServer implements AutoCloseable {

    public static final Path BIN = Path.of(System.getProperty("heddle.postgresBin", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private boolean running;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /** Creates a cluster in a new folder under {@code target/} and starts it. */
    public static PostgresServer start() throws IOException {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            throw new AssertionError("PostgreSQL 15 is missing (no " + BIN.resolve("initdb")
                    + "): install Debian's postgresql-15 package (.ci/run does: apt-get install postgresql-15)");
        }
        Path target = Path.of(System.getProperty("heddle.itest.work", "target/itest-work"));
        Files.createDirectories(target);
        // a short folder name: the socket path must stay under 107 bytes
        Path dir = Files.createTempDirectory(target.toAbsolutePath(), "pg");
        PostgresServer server = new PostgresServer(dir, freePort());
        server.initdb();
        server.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly, "postgres-stop-" + server.port));
        return server;
    }

    /**
     * The server {@link #start()} started in this JVM, seen from another class loader (inside the
     * OSGi container): {@link #shareThroughSystemProperties()} told where it is.
     */
    public static PostgresServer shared() {
        String dir = System.getProperty("heddle.itest.postgres.dir");
        String port = System.getProperty("heddle.itest.postgres.port");
        if (dir == null || port == null) {
            throw new IllegalStateException(
                    "no PostgreSQL started for this test (start() and shareThroughSystemProperties())");
        }
        PostgresServer server = new PostgresServer(Path.of(dir), Integer.parseInt(port));
        server.running = true;
        return server;
    }

    /** Publishes where this server is, for {@link #shared()}. */
    public PostgresServer shareThroughSystemProperties() {
        System.setProperty("heddle.itest.postgres.dir", dir.toString());
        System.setProperty("heddle.itest.postgres.port", Integer.toString(port));
        return this;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database} on this server (TCP, 127.0.0.1). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates a login role with a password and a database it owns. */
    public void createDatabase(String database, String role, String password) throws IOException {
        sql("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        sql("postgres", "CREATE DATABASE " + database + " OWNER " + role);
        sql(database, "ALTER SCHEMA public OWNER TO " + role);
    }

    /** Runs SQL as the superuser over the unix socket; answers psql's unaligned, tuples-only output. */
    public String sql(String database, String statement) throws IOException {
        return run(
                        List.of(
                                BIN.resolve("psql").toString(),
                                "-X",
                                "-q",
                                "-A",
                                "-t",
                                "-v",
                                "ON_ERROR_STOP=1",
                                "-h",
                                dir.toString(),
                                "-p",
                                Integer.toString(port),
                                "-U",
                                "postgres",
                                "-d",
                                database,
                                "-c",
                                statement),
                        true)
                .strip();
    }

    /** Stops the server (fast shutdown: open connections are closed). */
    public synchronized void stop() throws IOException {
        if (running || Files.exists(data.resolve("postmaster.pid"))) {
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"), true);
            running = false;
        }
    }

    /** Starts the stopped server again, same port and data. */
    public synchronized void restart() throws IOException {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            startServer();
        }
    }

    public synchronized boolean running() {
        return running;
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (IOException | RuntimeException e) {
            // the JVM is going away; the data folder is under target/
        }
    }

    private void initdb() throws IOException {
        Files.createDirectories(data);
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(
                List.of(
                        BIN.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256"),
                true);
    }

    private synchronized void startServer() throws IOException {
        run(
                List.of(
                        BIN.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-t",
                        "30",
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=100",
                        "start"),
                true);
        running = true;
    }

    private String run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres && asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile(dir, "cmd", ".out");
        Process process = new ProcessBuilder(full)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("Timed out: " + String.join(" ", full));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted: " + String.join(" ", full), e);
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.deleteIfExists(out);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", full) + " exited with " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
