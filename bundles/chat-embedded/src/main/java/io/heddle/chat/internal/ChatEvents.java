package io.heddle.chat.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Posts chat events on Event Admin when it is present (events are a view, never required). */
final class ChatEvents {

    private final Supplier<EventAdmin> eventAdmin;

    private volatile boolean closed;

    ChatEvents(Supplier<EventAdmin> eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /**
     * No event is posted from now on: called when the component deactivates, so that nothing is
     * posted for a bundle that is stopping (Event Admin refuses a stopped bundle's events).
     */
    void close() {
        closed = true;
    }

    /** Posts asynchronously; null values are left out (Event Admin properties must not be null). */
    void post(String topic, Map<String, Object> properties) {
        EventAdmin events = closed ? null : eventAdmin.get();
        if (events == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        properties.forEach((k, v) -> {
            if (v != null) {
                props.put(k, v);
            }
        });
        try {
            events.postEvent(new Event(topic, props));
        } catch (IllegalStateException stopped) {
            // the bundle (or Event Admin) stopped between the check and the post: events are a view, drop it
            closed = true;
        }
    }
}
