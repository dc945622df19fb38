package io.heddle.heartbeat.store.postgres.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * One sentence for a database failure, naming the cause and the fix, for health, the log and
 * error answers. It names the server, database and user, never the password, and carries no
 * stack trace.
 */
final class PostgresProblems {

    private PostgresProblems() {}

    static String describe(Throwable failure, PostgresStoreSettings settings) {
        String where = settings.host() + ":" + settings.port();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return "PostgreSQL host " + settings.host() + " is unknown: check url in etc/"
                        + PostgresStoreSettings.PID + ".cfg";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "PostgreSQL at " + where + " cannot be reached (connection refused): is it running, and is url"
                        + " right?";
            }
            if (t instanceof SocketTimeoutException) {
                return "PostgreSQL at " + where + " does not answer (timed out): is it running, and is url right?";
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                switch (state) {
                    case "28P01":
                        return "PostgreSQL at " + where + " refused the password of user " + settings.user()
                                + ": check passwordFile or passwordEnv";
                    case "28000":
                        return "PostgreSQL at " + where + " does not let user " + settings.user()
                                + " log in to database " + settings.database() + ": check the role and pg_hba.conf";
                    case "3D000":
                        return "PostgreSQL at " + where + " has no database " + settings.database()
                                + ": create it, or fix url";
                    case "42501":
                        return "user " + settings.user() + " lacks a privilege on database " + settings.database()
                                + " (" + firstLine(sql.getMessage()) + "): grant it CREATE and USAGE on the schema,"
                                + " or let the owner run the first start";
                    case "53300":
                        return "PostgreSQL at " + where + " has no connection slot left: lower poolSize or raise"
                                + " max_connections";
                    case "57P01":
                    case "57P02":
                        return "PostgreSQL at " + where + " closed the connection (it is shutting down)";
                    case "57P03":
                        return "PostgreSQL at " + where + " is starting up or shutting down";
                    case "HD001":
                        return firstLine(sql.getMessage());
                    default:
                        if (state.startsWith("08")) {
                            return "PostgreSQL at " + where + " cannot be reached (" + firstLine(sql.getMessage())
                                    + ")";
                        }
                }
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "PostgreSQL at " + where + " failed: " + firstLine(String.valueOf(root.getMessage()));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
