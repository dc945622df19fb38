package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStreamHubTest {

    /** A client whose connection takes everything at once, or nothing (a stalled socket). */
    static final class TestClient extends EventStreamHub.Client {
        final List<String> written = new ArrayList<>();
        boolean stalled;
        boolean dropped;

        TestClient(String serverId, int capacity) {
            super(serverId, capacity);
        }

        @Override
        void writeAvailable() {
            if (stalled) {
                return;
            }
            for (byte[] f; (f = next()) != null; ) {
                written.add(new String(f, StandardCharsets.UTF_8));
            }
        }

        @Override
        void dropped() {
            dropped = true;
        }

        List<String> events() {
            List<String> names = new ArrayList<>();
            for (String frame : written) {
                for (String line : frame.split("\n")) {
                    if (line.startsWith("event: ")) {
                        names.add(line.substring(7));
                    }
                }
            }
            return names;
        }
    }

    private static Map<String, Object> from(String serverId) {
        return serverId == null ? Map.of("taskId", "t1") : Map.of("serverId", serverId, "taskId", "t1");
    }

    @Test
    void framesCarryIdDottedNameAndJsonData() {
        EventStreamHub hub = new EventStreamHub(10, 100);
        TestClient c = new TestClient("s1", 10);
        hub.subscribe(c, null);

        hub.publish("io/heddle/heartbeat/task/STARTED", Map.of("serverId", "s1", "taskId", "t1", "event.topics", "x"));

        assertThat(c.written)
                .containsExactly(
                        "id: 100\nevent: heartbeat.task.started\ndata: "
                                + "{\"topic\":\"io/heddle/heartbeat/task/STARTED\",\"id\":100,\"serverId\":\"s1\",\"taskId\":\"t1\"}\n\n");
    }

    @Test
    void ownershipTopicGetsItsDottedName() {
        assertThat(EventStreamHub.eventName("io/heddle/server/OWNERSHIP_CHANGED"))
                .isEqualTo("server.ownership_changed");
    }

    @Test
    void eventsOfOneServerReachOnlyItsClientsAndUnattributedEventsReachAll() {
        EventStreamHub hub = new EventStreamHub(10, 1);
        TestClient a = new TestClient("server-a", 10);
        TestClient b = new TestClient("server-b", 10);
        hub.subscribe(a, null);
        hub.subscribe(b, null);

        hub.publish("io/heddle/heartbeat/task/STARTED", from("server-a"));
        hub.publish("io/heddle/extension/INSTALLED", from(null));

        assertThat(a.events()).containsExactly("heartbeat.task.started", "extension.installed");
        assertThat(b.events()).containsExactly("extension.installed");
    }

    @Test
    void reconnectingClientGetsWhatItMissedAfterItsLastEventId() {
        EventStreamHub hub = new EventStreamHub(10, 1);
        for (int i = 0; i < 5; i++) {
            hub.publish("io/heddle/heartbeat/task/DUE", from("s1"));
        }
        TestClient c = new TestClient("s1", 20);

        hub.subscribe(c, "3");

        assertThat(c.written).hasSize(2);
        assertThat(c.written.get(0)).startsWith("id: 4\n");
        assertThat(c.written.get(1)).startsWith("id: 5\n");
    }

    @Test
    void replayIsBoundedToTheBuffer() {
        EventStreamHub hub = new EventStreamHub(3, 1);
        for (int i = 0; i < 10; i++) {
            hub.publish("io/heddle/heartbeat/task/DUE", from("s1"));
        }
        TestClient c = new TestClient("s1", 20);

        hub.subscribe(c, "0");

        assertThat(c.written).hasSize(3);
        assertThat(c.written.get(0)).startsWith("id: 8\n");
    }

    @Test
    void aSlowClientIsDroppedAndTheOthersGetEveryEvent() {
        EventStreamHub hub = new EventStreamHub(10, 1);
        TestClient slow = new TestClient("s1", 4);
        slow.stalled = true;
        TestClient fast = new TestClient("s1", 4);
        hub.subscribe(slow, null);
        hub.subscribe(fast, null);

        for (int i = 0; i < 50; i++) {
            hub.publish("io/heddle/heartbeat/task/DUE", from("s1"));
        }

        assertThat(slow.dropped).isTrue();
        assertThat(slow.queued()).isZero();
        assertThat(fast.written).hasSize(50);
        assertThat(hub.clientCount()).isEqualTo(1);
    }

    @Test
    void unsubscribingFreesTheClientAtOnce() {
        EventStreamHub hub = new EventStreamHub(10, 1);
        TestClient c = new TestClient("s1", 10);
        c.stalled = true;
        hub.subscribe(c, null);
        hub.publish("io/heddle/heartbeat/task/DUE", from("s1"));

        hub.unsubscribe(c);

        assertThat(hub.clientCount()).isZero();
        assertThat(c.queued()).isZero();
        hub.publish("io/heddle/heartbeat/task/DUE", from("s1"));
        assertThat(c.queued()).isZero();
    }
}
