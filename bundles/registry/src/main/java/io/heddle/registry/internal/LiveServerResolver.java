package io.heddle.registry.internal;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Judges a live-server record: fresh when its heartbeat is within {@code staleAfter} of now
 * and its process is alive. Pure policy; it touches no files.
 */
public final class LiveServerResolver {

    private final Duration staleAfter;
    private final ProcessLiveness liveness;

    public LiveServerResolver(Duration staleAfter, ProcessLiveness liveness) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive: " + staleAfter);
        }
        this.staleAfter = staleAfter;
        this.liveness = liveness;
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    public LiveServer judge(ServerRecord record, Instant now) {
        Duration age = Duration.between(record.lastSeenAt(), now);
        Duration shownAge = age.isNegative() ? Duration.ZERO : age;
        if (age.compareTo(staleAfter) > 0) {
            return new LiveServer(record, false, shownAge,
                    "no heartbeat for " + age.toMillis() + " ms (stale after " + staleAfter.toMillis() + " ms)");
        }
        Optional<String> dead = liveness.deadReason(record.pid(), record.processStartedAt());
        return dead.map(reason -> new LiveServer(record, false, shownAge, reason))
                .orElseGet(() -> new LiveServer(record, true, shownAge, null));
    }
}
