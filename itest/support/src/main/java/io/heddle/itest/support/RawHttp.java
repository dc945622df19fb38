package io.heddle.itest.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client on a plain socket, so tests control every byte: the Host header,
 * raw paths with {@code ..}, oversized bodies. Connections are closed after each request.
 */
public class RawHttp {

    /** One answer. */
    public static final class Response {
        public final int status;
        public final Map<String, String> headers;
        public final String body;

        Response(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        /**
         * The string value of the first member called {@code name}, at any depth, of the JSON body;
         * null when absent or when the body is not JSON. See {@link Json#firstString}.
         */
        public String field(String name) {
            return Json.firstString(body, name);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Not instantiable; open only so {@code io.heddle.itest.RawHttp} can keep its name for older tests. */
    protected RawHttp() {}

    public static Response get(int port, String path) throws IOException {
        return send(port, "GET", path, Map.of(), null);
    }

    public static Response send(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Host", "127.0.0.1:" + port);
            all.put("Connection", "close");
            if (body != null) {
                all.put("Content-Length", Integer.toString(body.length));
            }
            all.putAll(headers);
            all.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException serverClosedEarly) {
                    // a server may answer (413) and close before reading a large body: read its answer
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends {@code rawRequest} exactly as given (request line, headers and body, malformed or not)
     * and reads the answer until the server closes the connection.
     *
     * @throws IOException when the server answers nothing (closes or resets at once)
     */
    public static Response exchange(int port, byte[] rawRequest) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(rawRequest);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException serverClosedEarly) {
                // a server may answer and close before reading everything: read its answer
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        try {
            while ((n = in.read(chunk)) > 0) {
                buffer.write(chunk, 0, n);
            }
        } catch (IOException resetAfterAnswer) {
            if (buffer.size() == 0) {
                throw resetAfterAnswer;
            }
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        String headText = headEnd < 0 ? text : text.substring(0, headEnd);
        String body = headEnd < 0 ? "" : text.substring(headEnd + 4);
        String[] lines = headText.split("\r\n");
        if (!lines[0].startsWith("HTTP/") || lines[0].split(" ").length < 2) {
            throw new IOException("No HTTP answer, got: " + (text.length() > 120 ? text.substring(0, 120) : text));
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int pos = 0;
        while (pos < body.length()) {
            int lineEnd = body.indexOf("\r\n", pos);
            if (lineEnd < 0) {
                break;
            }
            int size =
                    Integer.parseInt(body.substring(pos, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, lineEnd + 2, Math.min(body.length(), lineEnd + 2 + size));
            pos = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
