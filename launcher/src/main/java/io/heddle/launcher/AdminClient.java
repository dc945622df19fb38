package io.heddle.launcher;

import io.heddle.api.registry.ServerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/** Asks a running server to shut down: {@code POST /api/admin/shutdown} with its token. */
final class AdminClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private AdminClient() {}

    /** The HTTP status of the shutdown request, or -1 when the server could not be reached. */
    static int requestShutdown(ServerRecord server, String token) {
        String host = PortProbe.connectableHost(server.host());
        String literal = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        HttpURLConnection connection = null;
        try {
            connection =
                    (HttpURLConnection) URI.create("http://" + literal + ":" + server.port() + "/api/admin/shutdown")
                            .toURL()
                            .openConnection();
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setRequestMethod("POST");
            connection.setRequestProperty("Authorization", "Bearer " + token);
            connection.setRequestProperty("Accept", "application/json");
            connection.setFixedLengthStreamingMode(0);
            connection.setDoOutput(true);
            connection.getOutputStream().close();
            int status = connection.getResponseCode();
            drain(connection, status);
            return status;
        } catch (IOException | RuntimeException e) {
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static void drain(HttpURLConnection connection, int status) throws IOException {
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
    }
}
