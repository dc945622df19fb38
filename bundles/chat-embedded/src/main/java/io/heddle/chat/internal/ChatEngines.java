package io.heddle.chat.internal;

import io.heddle.api.chat.ChatEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.Constants;

/**
 * The engines registered now, and which one answers: the one a session names, else the highest
 * {@code service.ranking}, ties going to the oldest registration (lowest {@code service.id}).
 */
final class ChatEngines {

    /** One registered engine and its place in the order. */
    record Entry(ChatEngine engine, int ranking, long serviceId) {}

    private static final Comparator<Entry> BEST_FIRST =
            Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(ChatEngine engine, Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        entries.add(new Entry(
                engine,
                ranking(properties.get(Constants.SERVICE_RANKING)),
                id instanceof Long ? (Long) id : Long.MAX_VALUE));
    }

    /** An Integer as the framework wants; a string from a {@code .cfg} file is read too. */
    private static int ranking(Object ranking) {
        if (ranking instanceof Integer) {
            return (Integer) ranking;
        }
        if (ranking instanceof String) {
            try {
                return Integer.parseInt(((String) ranking).trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    void remove(ChatEngine engine) {
        entries.removeIf(e -> e.engine() == engine);
    }

    /** Every engine, best first. */
    List<Entry> all() {
        List<Entry> now = new ArrayList<>(entries);
        now.sort(BEST_FIRST);
        return now;
    }

    Optional<ChatEngine> best() {
        List<Entry> now = all();
        return now.isEmpty() ? Optional.empty() : Optional.of(now.get(0).engine());
    }

    /** The engine of that name (the best one when several share it). */
    Optional<ChatEngine> named(String name) {
        return all().stream()
                .map(Entry::engine)
                .filter(e -> e.name().equals(name))
                .findFirst();
    }
}
