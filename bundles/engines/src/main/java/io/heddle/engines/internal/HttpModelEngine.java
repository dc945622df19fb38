package io.heddle.engines.internal;

import io.heddle.api.chat.ChatConversation;
import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatEngineException;
import io.heddle.api.chat.ChatReplyStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * A chat engine that asks a model server over HTTP and streams its reply: one per named
 * configuration, speaking one {@link ModelProtocol}. It uses the JDK's HTTP client (HTTP/1.1,
 * no redirects).
 *
 * <p>Every failure ends the reply with a {@link ChatEngineException} whose message says what
 * happened and what to do; the chunks that arrived before are kept (the caller stores them).
 * A 429 with {@code Retry-After} is retried once after the wait it asks for. While it waits, the
 * reply checks every {@value #POLL_MS} ms whether it was cancelled, whether the server has been
 * silent longer than {@code idleTimeoutMs}, and whether the whole reply took longer than
 * {@code timeoutMs}; then it drops the connection. Provider text in messages has the key (and
 * anything that looks like a key) blanked out.
 */
final class HttpModelEngine implements ChatEngine {

    static final long POLL_MS = 25;
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(sk|key|pk)-[A-Za-z0-9_*.-]{6,}");

    private final EngineSettings settings;
    private final ModelProtocol protocol;
    private final HttpClient client;
    private final LongSupplier nanoTime;

    HttpModelEngine(EngineSettings settings, ModelProtocol protocol) {
        this(settings, protocol, System::nanoTime);
    }

    HttpModelEngine(EngineSettings settings, ModelProtocol protocol, LongSupplier nanoTime) {
        this.settings = settings;
        this.protocol = protocol;
        this.nanoTime = nanoTime;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout)
                .build();
    }

    @Override
    public String name() {
        return settings.name;
    }

    @Override
    public String protocol() {
        return protocol.name();
    }

    @Override
    public Optional<String> model() {
        return Optional.ofNullable(settings.model);
    }

    @Override
    public Optional<String> problem() {
        return settings.firstProblem();
    }

    EngineSettings settings() {
        return settings;
    }

    @Override
    public void reply(ChatConversation conversation, ChatReplyStream reply) throws ChatEngineException {
        Optional<String> problem = settings.problems().isEmpty()
                ? Optional.empty()
                : Optional.of(settings.problems().get(0));
        if (problem.isPresent()) {
            throw new ChatEngineException("the engine is not usable: " + problem.get());
        }
        Optional<String> key;
        try {
            key = settings.apiKey.read();
        } catch (ModelStreamException e) {
            throw new ChatEngineException("the engine is not usable: " + e.getMessage());
        }
        long deadline = nanoTime.getAsLong() + settings.timeout.toNanos();
        Sink sink = new Sink(reply);
        try {
            for (int attempt = 0; ; attempt++) {
                Exchange exchange = new Exchange(sink, protocol.reader(sink::chunk));
                int status = exchange.run(request(conversation, key), deadline, reply);
                if (status == 429 && attempt == 0) {
                    Optional<Duration> wait = retryAfter(exchange.headers);
                    if (wait.isPresent() && nanoTime.getAsLong() + wait.get().toNanos() - deadline < 0) {
                        waitFor(wait.get(), reply);
                        continue;
                    }
                }
                if (status / 100 != 2) {
                    throw new ChatEngineException(httpFailure(status, exchange, attempt > 0, key));
                }
                return;
            }
        } finally {
            sink.close();
        }
    }

    private HttpRequest request(ChatConversation conversation, Optional<String> key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(protocol.endpoint(settings))
                .POST(HttpRequest.BodyPublishers.ofByteArray(protocol.body(settings, conversation)));
        protocol.headers(builder, key, settings);
        return builder.build();
    }

    private void waitFor(Duration wait, ChatReplyStream reply) throws ChatEngineException {
        long until = nanoTime.getAsLong() + wait.toNanos();
        while (nanoTime.getAsLong() - until < 0) {
            if (reply.cancelled()) {
                throw new ChatEngineException("the reply was cancelled while waiting for the rate limit.");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(
                        Math.max(1, Math.min(POLL_MS, TimeUnit.NANOSECONDS.toMillis(until - nanoTime.getAsLong()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChatEngineException("interrupted while waiting for the rate limit.");
            }
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(HttpHeaders headers) {
        if (headers == null) {
            return Optional.empty();
        }
        Optional<String> value = headers.firstValue("Retry-After");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get().strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(
                        ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException unreadable) {
                return Optional.empty();
            }
        }
    }

    private String httpFailure(int status, Exchange exchange, boolean retried, Optional<String> key) {
        String said = ModelProtocol.errorDetail(exchange.errorBody())
                .map(d -> " The server said: " + redact(d, key))
                .orElse("");
        String where = " (" + settings.source + ")";
        switch (status) {
            case 401:
                return "the server refused the API key (401 Unauthorized): check the key in "
                        + settings.apiKey.describe() + where + "." + said;
            case 403:
                return "the server forbids this request (403 Forbidden): the key in " + settings.apiKey.describe()
                        + " may not have access to model '" + settings.model + "'." + said;
            case 404:
                return "the server does not know model '" + settings.model + "' or the address "
                        + protocol.endpoint(settings) + " (404 Not Found): check model and baseUrl" + where + "."
                        + said;
            case 429:
                return "the server is rate-limiting requests (429 Too Many Requests)"
                        + (retried ? ", also after the wait it asked for" : "")
                        + ": wait a while and send the message again." + said;
            default:
                if (status >= 500) {
                    return "the server failed (" + status + "): try again later." + said;
                }
                return "the server rejected the request (" + status + "): check the engine's settings" + where + "."
                        + said;
        }
    }

    static String redact(String text, Optional<String> key) {
        String out = text;
        if (key.isPresent() && !key.get().isEmpty()) {
            out = out.replace(key.get(), "[redacted]");
        }
        return KEY_LIKE.matcher(out).replaceAll("[redacted]");
    }

    /** Passes chunks to the reply until the exchange is over; none after. */
    private static final class Sink {
        private final ChatReplyStream reply;
        private boolean closed;

        Sink(ChatReplyStream reply) {
            this.reply = reply;
        }

        synchronized void chunk(String text) {
            if (!closed) {
                reply.chunk(text);
            }
        }

        synchronized void close() {
            closed = true;
        }
    }

    /** One request and its streamed answer. */
    private final class Exchange {
        private final Sink sink;
        private final ModelProtocol.StreamReader reader;
        private final AtomicLong lastActivity = new AtomicLong();
        private final AtomicReference<Feeder> feeder = new AtomicReference<>();
        volatile HttpHeaders headers;

        Exchange(Sink sink, ModelProtocol.StreamReader reader) {
            this.sink = sink;
            this.reader = reader;
        }

        byte[] errorBody() {
            Feeder f = feeder.get();
            return f == null ? new byte[0] : f.errorBody.toByteArray();
        }

        /** Runs the exchange; answers the status when the answer was complete, throws otherwise. */
        int run(HttpRequest request, long deadline, ChatReplyStream reply) throws ChatEngineException {
            lastActivity.set(nanoTime.getAsLong());
            CompletableFuture<HttpResponse<Void>> future = client.sendAsync(request, info -> {
                headers = info.headers();
                Feeder f = new Feeder(info.statusCode() / 100 == 2 ? new SseFrameParser(reader) : null, lastActivity);
                feeder.set(f);
                return f;
            });
            HttpResponse<Void> response;
            while (true) {
                try {
                    response = future.get(POLL_MS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillGoing) {
                    long now = nanoTime.getAsLong();
                    if (reply.cancelled()) {
                        abort(future);
                        throw new ChatEngineException("the reply was cancelled.");
                    }
                    if (now - deadline >= 0) {
                        abort(future);
                        throw new ChatEngineException("the reply took longer than " + settings.timeout.toMillis()
                                + " ms and was stopped (timeoutMs in " + settings.source + "); the part that "
                                + "arrived is kept. Raise timeoutMs, or ask for a shorter answer.");
                    }
                    if (now - lastActivity.get() - settings.idleTimeout.toNanos() >= 0) {
                        abort(future);
                        throw new ChatEngineException("the server sent nothing for " + settings.idleTimeout.toMillis()
                                + " ms and the request was stopped (idleTimeoutMs in " + settings.source + "). "
                                + "Check that the server at " + settings.baseUrl + " is not overloaded, or raise "
                                + "idleTimeoutMs (a large local model may need long before its first word).");
                    }
                } catch (InterruptedException e) {
                    abort(future);
                    Thread.currentThread().interrupt();
                    throw new ChatEngineException("interrupted while waiting for the model.");
                } catch (ExecutionException e) {
                    throw failure(e.getCause());
                }
            }
            int status = response.statusCode();
            if (status / 100 == 2 && !reader.finished()) {
                Feeder f = feeder.get();
                if (f != null && f.parser != null && f.parser.frames() == 0) {
                    throw new ChatEngineException("the server's answer was not an event stream (no data: frames): "
                            + "check that " + settings.baseUrl + " speaks the " + protocol.name() + " protocol "
                            + "(baseUrl in " + settings.source + ").");
                }
                throw new ChatEngineException("the server ended the stream before the reply was complete; the part "
                        + "that arrived is kept. Send the message again to retry.");
            }
            return status;
        }

        private void abort(CompletableFuture<?> future) {
            Feeder f = feeder.get();
            if (f != null) {
                f.cancel();
            }
            future.cancel(true);
            sink.close();
        }

        private ChatEngineException failure(Throwable cause) {
            Feeder f = feeder.get();
            if (f != null && f.failure != null) {
                return new ChatEngineException(f.failure.getMessage() + "; the part that arrived is kept. Check that "
                        + settings.baseUrl + " speaks the " + protocol.name() + " protocol (baseUrl in "
                        + settings.source + ").");
            }
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof HttpConnectTimeoutException) {
                    return new ChatEngineException("could not connect to " + settings.baseUrl + " within "
                            + settings.connectTimeout.toMillis() + " ms (connectTimeoutMs in " + settings.source
                            + "): check that the server is running and baseUrl is right.");
                }
                if (t instanceof ConnectException) {
                    return new ChatEngineException("could not connect to " + settings.baseUrl
                            + " (connection refused): is the model server running? Check baseUrl in "
                            + settings.source + ".");
                }
                if (t instanceof HttpTimeoutException) {
                    return new ChatEngineException(
                            "the request to " + settings.baseUrl + " timed out: " + t.getMessage() + ".");
                }
            }
            String what = cause == null
                    ? "unknown"
                    : cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + ModelProtocol.oneLine(cause.getMessage()));
            if (f != null && f.streaming()) {
                return new ChatEngineException("the connection to " + settings.baseUrl + " broke in the middle of the "
                        + "reply (" + what + "); the part that arrived is kept. Send the message again to retry.");
            }
            if (cause instanceof IOException || cause instanceof RuntimeException) {
                return new ChatEngineException("the request to " + settings.baseUrl + " failed (" + what + "): check "
                        + "that the server is running and baseUrl in " + settings.source + " is right.");
            }
            return new ChatEngineException("the request to " + settings.baseUrl + " failed (" + what + ").");
        }
    }

    /** Feeds the body to the frame parser as it arrives (or keeps an error body, up to a limit). */
    private final class Feeder implements HttpResponse.BodySubscriber<Void> {
        private final SseFrameParser parser;
        private final AtomicLong lastActivity;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;
        private volatile boolean cancelled;
        volatile ModelStreamException failure;

        Feeder(SseFrameParser parser, AtomicLong lastActivity) {
            this.parser = parser;
            this.lastActivity = lastActivity;
        }

        boolean streaming() {
            return parser != null;
        }

        @Override
        public CompletionStage<Void> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled) {
                s.cancel();
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            lastActivity.set(nanoTime.getAsLong());
            if (cancelled || done.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    if (parser != null) {
                        parser.feed(bytes);
                    } else if (errorBody.size() < ERROR_BODY_LIMIT) {
                        errorBody.write(bytes, 0, Math.min(bytes.length, ERROR_BODY_LIMIT - errorBody.size()));
                    }
                }
            } catch (ModelStreamException e) {
                failure = e;
                done.completeExceptionally(e);
                cancel();
            }
        }

        @Override
        public void onError(Throwable throwable) {
            done.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            done.complete(null);
        }

        void cancel() {
            cancelled = true;
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }
    }
}
