package io.heddle.heartbeat.internal;

import java.util.Map;

/** Where scheduler events go: Event Admin in the framework, a list in tests. Must not block. */
@FunctionalInterface
interface SchedulerEvents {

    void post(String topic, Map<String, Object> properties);

    SchedulerEvents NONE = (topic, properties) -> {};
}
