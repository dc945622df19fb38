package io.heddle.chat.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The soft writer lease of a session: the writer that wrote last holds it for the lease
 * duration after its last write. It is cooperative (writers name themselves), so it keeps two
 * honest writers from interleaving; it is not an access control.
 */
record SessionLease(String holder, Instant renewedAt) {

    SessionLease {
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(renewedAt, "renewedAt");
    }

    Instant expiresAt(Duration duration) {
        return renewedAt.plus(duration);
    }

    /** Whether another writer must wait: the lease is still running at {@code now}. */
    boolean freshAt(Instant now, Duration duration) {
        return now.isBefore(expiresAt(duration));
    }
}
