package io.heddle.itest.support;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback fake of a model server, for tests: it listens on {@code 127.0.0.1} (any free port)
 * and answers {@code POST .../chat/completions} in the OpenAI-compatible streaming format and
 * {@code POST .../v1/messages} in Anthropic's, byte for byte as the providers document them
 * (SSE over chunked HTTP/1.1). Each request takes the next queued {@link Answer}, else the
 * default one; an answer can stream a reply, fail with a status and an error body, or break
 * the stream after some chunks (cut, malformed frame, stall, an {@code error} event).
 *
 * <p>It uses nothing but {@code java.net}, so it runs in a test JVM and inside a container alike.
 * Every request is recorded ({@link #requests()}), and the time each text frame was sent is kept
 * ({@link #frameWrites()}) for measurements.
 */
public final class FakeModelProvider implements Closeable {

    /** How an answer ends after its chunks. */
    public enum Ending {
        /** The protocol's normal end ({@code [DONE]} / {@code message_stop}). */
        COMPLETE,
        /** The connection closes in the middle of the chunked body. */
        CUT,
        /** A frame that is not valid JSON, then the normal end. */
        MALFORMED,
        /** Nothing more until the client goes away or the provider closes. */
        STALL,
        /** Anthropic's {@code error} event (an error object in a {@code data:} frame for OpenAI). */
        ERROR_EVENT
    }

    /** One answer to one request. */
    public static final class Answer {
        final int status;
        final String errorType;
        final String errorMessage;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> chunks;
        Ending ending = Ending.COMPLETE;
        boolean keepAlives;
        boolean crlf;
        int splitEvery;
        long gapMillis;
        boolean echoKey;
        String plainBody;

        private Answer(int status, String errorType, String errorMessage, List<String> chunks) {
            this.status = status;
            this.errorType = errorType;
            this.errorMessage = errorMessage;
            this.chunks = List.copyOf(chunks);
        }

        /** A streamed reply made of these text chunks. */
        public static Answer reply(String... chunks) {
            return new Answer(200, null, null, List.of(chunks));
        }

        /**
         * A failure status with the protocol's error object ({@code type}, {@code message});
         * {@code 429} gets no {@code Retry-After} unless {@link #header} adds one.
         */
        public static Answer status(int status, String type, String message) {
            return new Answer(status, type, message, List.of());
        }

        /** A {@code 200} with this JSON body and no stream, as a server that ignores {@code "stream": true}. */
        public static Answer notStreaming(String json) {
            Answer answer = new Answer(200, null, null, List.of());
            answer.plainBody = json;
            return answer;
        }

        public Answer header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Answer then(Ending how) {
            this.ending = how;
            return this;
        }

        /** Puts a comment line ({@code : keep-alive}) and a {@code ping} (Anthropic) between frames. */
        public Answer keepAlives() {
            this.keepAlives = true;
            return this;
        }

        /** Ends lines with CR LF instead of LF. */
        public Answer crlf() {
            this.crlf = true;
            return this;
        }

        /** Writes (and flushes) the stream in pieces of this many bytes, splitting frames across reads. */
        public Answer splitEvery(int bytes) {
            this.splitEvery = bytes;
            return this;
        }

        /** Waits this long between frames. */
        public Answer gapMillis(long millis) {
            this.gapMillis = millis;
            return this;
        }

        /** Like a careless server: the error message quotes the key the request carried. */
        public Answer echoingKey() {
            this.echoKey = true;
            return this;
        }
    }

    /** A request as received. Header names are lower case. */
    public record Request(String method, String path, Map<String, String> headers, String body) {}

    private final ServerSocket socket;
    private final Thread acceptor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> queue = new ConcurrentLinkedQueue<>();
    private final List<Long> frameWrites = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Answer fallback = Answer.reply("Hello", " from", " the fake model.");

    private FakeModelProvider() throws IOException {
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        acceptor = new Thread(this::accept, "fake-model-provider-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FakeModelProvider start() throws IOException {
        return new FakeModelProvider();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The base URL of the OpenAI-compatible protocol ({@code http://127.0.0.1:<port>/v1}). */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** The base URL of the Anthropic protocol ({@code http://127.0.0.1:<port>}). */
    public String anthropicBaseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Answers the next request so (after the answers already queued). */
    public FakeModelProvider enqueue(Answer answer) {
        queue.add(answer);
        return this;
    }

    /** Answers every request without a queued answer so. */
    public FakeModelProvider byDefault(Answer answer) {
        fallback = answer;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** {@link System#nanoTime()} right before each text frame was written (and flushed), in order. */
    public List<Long> frameWrites() {
        synchronized (frameWrites) {
            return List.copyOf(frameWrites);
        }
    }

    public void clearFrameWrites() {
        frameWrites.clear();
    }

    @Override
    public void close() {
        closed.countDown();
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fake-model-provider-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (Socket connection = s) {
            InputStream in = connection.getInputStream();
            String requestLine = line(in);
            if (requestLine == null) {
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            h.substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            String[] parts = requestLine.split(" ");
            String path = parts.length > 1 ? parts[1] : "/";
            requests.add(new Request(parts[0], path, Map.copyOf(headers), new String(body, StandardCharsets.UTF_8)));
            Answer answer = queue.poll();
            if (answer == null) {
                answer = fallback;
            }
            boolean anthropic = path.endsWith("/v1/messages");
            if (!anthropic && !path.endsWith("/chat/completions")) {
                respond(
                        connection.getOutputStream(),
                        404,
                        Map.of(),
                        "{\"error\":{\"message\":\"no such path " + path + "\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            if (answer.plainBody != null) {
                respond(connection.getOutputStream(), 200, answer.headers, answer.plainBody);
                return;
            }
            if (answer.status != 200) {
                String message = answer.errorMessage;
                if (answer.echoKey) {
                    String key = anthropic
                            ? headers.getOrDefault("x-api-key", "")
                            : headers.getOrDefault("authorization", "").replaceFirst("^Bearer ", "");
                    message = message + " (key " + key + ")";
                }
                // each provider's documented error object
                String text = anthropic
                        ? "{\"type\":\"error\",\"error\":{\"type\":" + json(answer.errorType) + ",\"message\":"
                                + json(message) + "}}"
                        : "{\"error\":{\"message\":" + json(message) + ",\"type\":" + json(answer.errorType)
                                + ",\"param\":null,\"code\":null}}";
                respond(connection.getOutputStream(), answer.status, answer.headers, text);
                return;
            }
            stream(connection.getOutputStream(), answer, anthropic, model(body));
        } catch (IOException | RuntimeException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    private static String model(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        int at = text.indexOf("\"model\":\"");
        if (at < 0) {
            return "fake";
        }
        int end = text.indexOf('"', at + 9);
        return end < 0 ? "fake" : text.substring(at + 9, end);
    }

    private static void respond(OutputStream out, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " " + reason(status) + "\r\n");
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(bytes.length).append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 429:
                return "Too Many Requests";
            case 500:
                return "Internal Server Error";
            case 503:
                return "Service Unavailable";
            default:
                return "Status";
        }
    }

    private void stream(OutputStream out, Answer answer, boolean anthropic, String model) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String nl = answer.crlf ? "\r\n" : "\n";
        Writer w = new Writer(out, answer.splitEvery);
        if (anthropic) {
            w.frame(
                    nl,
                    "message_start",
                    "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_fake1\",\"type\":"
                            + "\"message\",\"role\":\"assistant\",\"content\":[],\"model\":" + json(model)
                            + ",\"stop_reason\":"
                            + "null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
            w.frame(
                    nl,
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                            + "{\"type\":\"text\",\"text\":\"\"}}");
            w.frame(nl, "ping", "{\"type\": \"ping\"}");
        } else {
            w.frame(nl, null, openAiChunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        }
        for (String chunk : answer.chunks) {
            pause(answer.gapMillis);
            if (answer.keepAlives) {
                w.raw(": keep-alive" + nl + nl);
                if (anthropic) {
                    w.frame(nl, "ping", "{\"type\": \"ping\"}");
                }
            }
            long sending = System.nanoTime();
            if (anthropic) {
                w.frame(
                        nl,
                        "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                                + "{\"type\":\"text_delta\",\"text\":" + json(chunk) + "}}");
            } else {
                w.frame(nl, null, openAiChunk(model, "{\"content\":" + json(chunk) + "}", null));
            }
            frameWrites.add(sending);
        }
        switch (answer.ending) {
            case CUT:
                // half a frame, then the connection goes without the last chunk of the chunked body
                w.raw("data: {\"id\":\"chatcmpl-fake\",\"cho");
                return;
            case MALFORMED:
                w.raw("data: {this is not json" + nl + nl);
                break;
            case STALL:
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            case ERROR_EVENT:
                if (anthropic) {
                    w.frame(
                            nl,
                            "error",
                            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":"
                                    + "\"Overloaded\"}}");
                } else {
                    w.frame(
                            nl,
                            null,
                            "{\"error\":{\"message\":\"The server had an error while processing your "
                                    + "request.\",\"type\":\"server_error\"}}");
                }
                w.end();
                return;
            case COMPLETE:
            default:
                break;
        }
        if (anthropic) {
            w.frame(nl, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
            w.frame(
                    nl,
                    "message_delta",
                    "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + answer.chunks.size() + "}}");
            w.frame(nl, "message_stop", "{\"type\":\"message_stop\"}");
        } else {
            w.frame(nl, null, openAiChunk(model, "{}", "stop"));
            w.raw("data: [DONE]" + nl + nl);
        }
        w.end();
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String openAiChunk(String model, String delta, String finish) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":"
                + json(model) + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : json(finish)) + "}]}";
    }

    /** Writes SSE text as HTTP chunks, each flushed; optionally cut into small pieces. */
    private static final class Writer {
        private final OutputStream out;
        private final int splitEvery;

        Writer(OutputStream out, int splitEvery) {
            this.out = out;
            this.splitEvery = splitEvery;
        }

        void frame(String nl, String event, String data) throws IOException {
            raw((event == null ? "" : "event: " + event + nl) + "data: " + data + nl + nl);
        }

        void raw(String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int step = splitEvery > 0 ? splitEvery : bytes.length;
            for (int i = 0; i < bytes.length; i += step) {
                int n = Math.min(step, bytes.length - i);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes, i, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }

        void end() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    /** A JSON string literal. */
    static String json(String text) {
        StringBuilder b = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }
}
