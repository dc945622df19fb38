package io.heddle.chat.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Posts chat events on Event Admin when it is present (events are a view, never required). */
final class ChatEvents {

    private final Supplier<EventAdmin> eventAdmin;

    ChatEvents(Supplier<EventAdmin> eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    /** Posts asynchronously; null values are left out (Event Admin properties must not be null). */
    void post(String topic, Map<String, Object> properties) {
        EventAdmin events = eventAdmin.get();
        if (events == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        properties.forEach((k, v) -> {
            if (v != null) {
                props.put(k, v);
            }
        });
        events.postEvent(new Event(topic, props));
    }
}
