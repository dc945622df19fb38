package io.heddle.api.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * The live-server record as judged at one instant.
 *
 * @param server       the record
 * @param fresh        true when its heartbeat is recent and its process is alive
 * @param age          time since its last heartbeat (never negative)
 * @param staleReason  why it is stale ({@code null} when fresh), e.g. "process 4242 is not running"
 */
public record LiveServer(ServerRecord server, boolean fresh, Duration age, String staleReason) {
    public LiveServer {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(age, "age");
    }

    public boolean stale() {
        return !fresh;
    }
}
