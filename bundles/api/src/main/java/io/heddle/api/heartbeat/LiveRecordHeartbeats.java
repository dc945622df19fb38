package io.heddle.api.heartbeat;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Starts live-record heartbeats. Each tick, under the registry lock: our own record is
 * refreshed; while another fresh server holds it nothing is written; when it is empty or its
 * owner is stale it is claimed again. Interval and staleness come from the
 * {@code io.heddle.heartbeat} configuration.
 */
@ProviderType
public interface LiveRecordHeartbeats {

    /**
     * Starts ticking for {@code target}.
     *
     * @param initiallyOwner whether the server holds the record right now (it just claimed it)
     */
    LiveRecordHeartbeat start(HeartbeatTarget target, boolean initiallyOwner);
}
