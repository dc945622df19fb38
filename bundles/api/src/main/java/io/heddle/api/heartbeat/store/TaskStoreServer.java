package io.heddle.api.heartbeat.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A server that used a shared task store lately, as the store recorded it (by the store's clock).
 *
 * @param serverId    the server's id
 * @param lastClaimAt when it last claimed a due task, or null
 * @param lastRenewAt when it last renewed a lease, or null
 * @param seenAt      the later of the two
 */
public record TaskStoreServer(String serverId, Instant lastClaimAt, Instant lastRenewAt, Instant seenAt) {

    public TaskStoreServer {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(seenAt, "seenAt");
    }
}
