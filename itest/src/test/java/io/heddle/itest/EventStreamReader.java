package io.heddle.itest;

import io.heddle.itest.support.Json;
import io.heddle.itest.support.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Reads {@code GET /api/events} on a thread of its own and keeps every event it saw. */
final class EventStreamReader implements AutoCloseable {

    /** One Server-Sent Event. */
    record Sse(String id, String event, Map<String, Object> data) {}

    final List<Sse> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);
    private final InputStream body;
    private final Thread reader;

    EventStreamReader(String endpointUrl, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(endpointUrl + "/api/events")).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/events answered " + response.statusCode());
        }
        body = response.body();
        reader = new Thread(this::read, "itest-sse-reader");
        reader.setDaemon(true);
        reader.start();
        if (!connected.await(10, TimeUnit.SECONDS)) {
            throw new IOException("the event stream never said it was connected");
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (event != null) {
                        events.add(new Sse(id, event, Json.object(data.toString())));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith(": connected")) {
                    connected.countDown();
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException closed) {
            // the test closed the stream
        }
    }

    /** Waits (up to a deadline) for an event that matches; answers it. */
    Sse await(String what, Predicate<Sse> match) {
        Poll.until(
                "event stream: " + what,
                Duration.ofSeconds(20),
                () -> events.stream().anyMatch(match));
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    static Predicate<Sse> named(String event, String taskId) {
        return e -> e.event().equals(event) && taskId.equals(e.data().get("taskId"));
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
