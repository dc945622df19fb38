package io.heddle.api.heartbeat;

/**
 * The heartbeat that keeps one server's live record fresh without ever stealing it from a
 * newer owner. One is started per handle by the lifecycle.
 */
public interface LiveRecordHeartbeat extends AutoCloseable {

    /** Whether the server held the live record at the last tick. */
    boolean owner();

    /** Runs one tick now (also used by tests). */
    void tick();

    /** Stops ticking; idempotent. */
    @Override
    void close();
}
