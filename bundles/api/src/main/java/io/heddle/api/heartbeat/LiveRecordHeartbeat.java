package io.heddle.api.heartbeat;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The heartbeat that keeps one server's live record fresh without ever stealing it from a
 * newer owner. One is started per handle by the lifecycle.
 */
@ProviderType
public interface LiveRecordHeartbeat extends AutoCloseable {

    /** Whether the server held the live record at the last tick. */
    boolean owner();

    /**
     * The live record as the registry held it at the last tick: this server's own record with
     * the {@code lastSeenAt} it wrote, or the record of the server it stands by for; empty
     * before the first tick. Read from memory, never from the registry file (since 1.3).
     */
    default java.util.Optional<io.heddle.api.registry.ServerRecord> lastRecord() {
        return java.util.Optional.empty();
    }

    /** Runs one tick now (also used by tests). */
    void tick();

    /** Stops ticking; idempotent. */
    @Override
    void close();
}
