package io.heddle.http.internal;

import io.heddle.storage.internal.JsonTree;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The fan-out behind {@code GET /api/events}: turns framework events into Server-Sent Event
 * frames, keeps the last {@code replayCapacity} for clients that reconnect with
 * {@code Last-Event-ID}, and hands each frame to every client that may see it.
 *
 * <p>Publishing never waits for a client: each client has a bounded queue, and a client whose
 * queue is full is dropped (it reconnects and replays from its last id), so a slow client costs
 * only itself. An event with a {@code serverId} property reaches only clients of that server;
 * an event without one reaches every client.
 */
final class EventStreamHub {

    static final String PREFIX = "io/heddle/";

    /** One client's end of the stream. */
    abstract static class Client {
        private final String serverId;
        private final int capacity;
        private final Deque<byte[]> queue = new ArrayDeque<>();
        private boolean closed;

        Client(String serverId, int capacity) {
            this.serverId = serverId;
            this.capacity = capacity;
        }

        final String serverId() {
            return serverId;
        }

        /** Queues a frame; false (and the client counts as closed) when its queue is full. */
        final synchronized boolean enqueue(byte[] frame) {
            if (closed) {
                return false;
            }
            if (queue.size() >= capacity) {
                closed = true;
                queue.clear();
                return false;
            }
            queue.add(frame);
            return true;
        }

        /** The next frame to write, or null. */
        final synchronized byte[] next() {
            return queue.poll();
        }

        final synchronized int queued() {
            return queue.size();
        }

        final synchronized boolean isClosed() {
            return closed;
        }

        /** Marks the client closed and drops what it had not written yet; true the first time. */
        final synchronized boolean markClosed() {
            boolean first = !closed;
            closed = true;
            queue.clear();
            return first;
        }

        /** Frames are waiting: write what the connection takes now, without blocking. */
        abstract void writeAvailable();

        /** The hub dropped this client (queue full, or the hub closed): end its response. */
        abstract void dropped();
    }

    private record Frame(long id, String serverId, byte[] bytes) {}

    private final int replayCapacity;
    private final Deque<Frame> replay = new ArrayDeque<>();
    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    private long nextId;

    /**
     * @param firstId the id of the first event; pass a time-based number so that ids keep
     *                growing across restarts and a client's old Last-Event-ID replays everything new
     */
    EventStreamHub(int replayCapacity, long firstId) {
        this.replayCapacity = replayCapacity;
        this.nextId = firstId;
    }

    /** {@code io/heddle/heartbeat/task/STARTED} becomes {@code heartbeat.task.started}. */
    static String eventName(String topic) {
        String t = topic.startsWith(PREFIX) ? topic.substring(PREFIX.length()) : topic;
        return t.replace('/', '.').toLowerCase(Locale.ROOT);
    }

    /** Publishes one event to its clients (and the replay buffer). Never blocks on a client. */
    void publish(String topic, Map<String, Object> properties) {
        // topic and id first, then the properties by name, so a frame reads the same every time
        Map<String, Object> props = new java.util.TreeMap<>();
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            if (!e.getKey().startsWith("event.")
                    && !e.getKey().equals("topic")
                    && !e.getKey().equals("id")) {
                props.put(e.getKey(), jsonValue(e.getValue()));
            }
        }
        Object sid = properties.get("serverId");
        String serverId = sid instanceof String ? (String) sid : null;
        List<Client> toDrop = new ArrayList<>();
        List<Client> toWrite = new ArrayList<>();
        synchronized (this) {
            long id = nextId++;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("topic", topic);
            data.put("id", id);
            data.putAll(props);
            String frame =
                    "id: " + id + "\nevent: " + eventName(topic) + "\ndata: " + JsonTree.writeCompact(data) + "\n\n";
            Frame f = new Frame(id, serverId, frame.getBytes(StandardCharsets.UTF_8));
            replay.addLast(f);
            while (replay.size() > replayCapacity) {
                replay.removeFirst();
            }
            for (Client c : clients) {
                if (visible(f, c)) {
                    (c.enqueue(f.bytes()) ? toWrite : toDrop).add(c);
                }
            }
        }
        toDrop.forEach(this::drop);
        toWrite.forEach(Client::writeAvailable);
    }

    /** Sends a comment line to every client (keeps idle connections alive, finds dead ones). */
    void comment(String text) {
        byte[] bytes = (": " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
        List<Client> toDrop = new ArrayList<>();
        for (Client c : clients) {
            if (c.enqueue(bytes)) {
                c.writeAvailable();
            } else {
                toDrop.add(c);
            }
        }
        toDrop.forEach(this::drop);
    }

    /**
     * Adds a client and queues, atomically with respect to publishing, the buffered events after
     * {@code lastEventId} (none when it is null or not a number).
     */
    void subscribe(Client client, String lastEventId) {
        boolean overflow = false;
        synchronized (this) {
            Long last = parseId(lastEventId);
            if (last != null) {
                for (Frame f : replay) {
                    if (f.id() > last && visible(f, client) && !client.enqueue(f.bytes())) {
                        overflow = true;
                        break;
                    }
                }
            }
            if (!overflow) {
                clients.add(client);
            }
        }
        if (overflow) {
            client.markClosed();
            client.dropped();
        } else {
            client.writeAvailable();
        }
    }

    /** Removes a client that went away; frees its queue at once. */
    void unsubscribe(Client client) {
        clients.remove(client);
        client.markClosed();
    }

    private void drop(Client client) {
        if (clients.remove(client)) {
            client.markClosed();
            client.dropped();
        }
    }

    /** Drops every client (the endpoint goes away). */
    void closeAll() {
        for (Client c : clients) {
            drop(c);
        }
    }

    int clientCount() {
        return clients.size();
    }

    Collection<Client> clients() {
        return List.copyOf(clients);
    }

    private static boolean visible(Frame f, Client c) {
        return f.serverId() == null || c.serverId() == null || f.serverId().equals(c.serverId());
    }

    private static Long parseId(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Event property values as JSON: strings, numbers, booleans as they are; arrays and collections as lists. */
    private static Object jsonValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Collection) {
            List<Object> out = new ArrayList<>();
            for (Object o : (Collection<?>) v) {
                out.add(jsonValue(o));
            }
            return out;
        }
        if (v.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(jsonValue(Array.get(v, i)));
            }
            return out;
        }
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, val) -> out.put(String.valueOf(k), jsonValue(val)));
            return out;
        }
        return v.toString();
    }
}
