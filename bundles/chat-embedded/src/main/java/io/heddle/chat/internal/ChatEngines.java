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
 * The engines registered now, and which one answers: the highest {@code service.ranking},
 * ties going to the oldest registration (lowest {@code service.id}).
 */
final class ChatEngines {

    private record Entry(ChatEngine engine, int ranking, long serviceId) {
    }

    private static final Comparator<Entry> BEST_FIRST = Comparator.comparingInt(Entry::ranking).reversed()
            .thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(ChatEngine engine, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        entries.add(new Entry(engine, ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE));
    }

    void remove(ChatEngine engine) {
        entries.removeIf(e -> e.engine() == engine);
    }

    Optional<ChatEngine> best() {
        List<Entry> now = new ArrayList<>(entries);
        now.sort(BEST_FIRST);
        return now.isEmpty() ? Optional.empty() : Optional.of(now.get(0).engine());
    }
}
