package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runner services present right now, by kind. When several offer one kind, the highest
 * service ranking wins, then the oldest service (lowest service id), as OSGi orders services.
 */
final class RunnerDirectory {

    private record Entry(String kind, HeartbeatTaskRunner runner, int ranking, long serviceId) {}

    private static final Comparator<Entry> PREFERENCE =
            Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId);

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void add(String kind, HeartbeatTaskRunner runner, int ranking, long serviceId) {
        if (kind != null && !kind.isBlank()) {
            entries.add(new Entry(kind.trim(), runner, ranking, serviceId));
        }
    }

    void remove(HeartbeatTaskRunner runner) {
        entries.removeIf(e -> e.runner() == runner);
    }

    Optional<HeartbeatTaskRunner> find(String kind) {
        return entries.stream()
                .filter(e -> e.kind().equals(kind))
                .min(PREFERENCE)
                .map(Entry::runner);
    }

    List<String> kinds() {
        List<String> kinds = new ArrayList<>();
        entries.forEach(e -> {
            if (!kinds.contains(e.kind())) {
                kinds.add(e.kind());
            }
        });
        kinds.sort(null);
        return kinds;
    }
}
