package io.heddle.registry.internal;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges a live-server record: fresh when its heartbeat is within {@code staleAfter} of now,
 * its process is alive, and, for a record without a process start instant (the reference's
 * format), a server answers on its endpoint ({@link EndpointProbe}): without the start instant a
 * live pid may belong to an unrelated process. It touches no files.
 */
public final class LiveServerResolver {

    /** How the stale reason of a record without a start instant whose endpoint is silent begins. */
    public static final String SILENT_ENDPOINT_REASON = "the record has no processStartedAt, and ";

    private final Duration staleAfter;
    private final ProcessLiveness liveness;
    private final EndpointProbe endpoint;

    public LiveServerResolver(Duration staleAfter, ProcessLiveness liveness, EndpointProbe endpoint) {
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("staleAfter must be positive: " + staleAfter);
        }
        this.staleAfter = staleAfter;
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    public Duration staleAfter() {
        return staleAfter;
    }

    public LiveServer judge(ServerRecord record, Instant now) {
        Duration age = Duration.between(record.lastSeenAt(), now);
        Duration shownAge = age.isNegative() ? Duration.ZERO : age;
        if (age.compareTo(staleAfter) > 0) {
            return new LiveServer(
                    record,
                    false,
                    shownAge,
                    "no heartbeat for " + age.toMillis() + " ms (stale after " + staleAfter.toMillis() + " ms)");
        }
        // Plain code, no lambdas: the launcher's attach path runs without java.lang.invoke.
        Optional<String> dead = liveness.deadReason(record.pid(), record.processStartedAt());
        if (dead.isEmpty() && record.processStartedAt() == null) {
            Optional<String> silent = endpoint.silentReason(record.host(), record.port());
            if (silent.isPresent()) {
                dead = Optional.of(SILENT_ENDPOINT_REASON + silent.get());
            }
        }
        return dead.isPresent()
                ? new LiveServer(record, false, shownAge, dead.get())
                : new LiveServer(record, true, shownAge, null);
    }
}
