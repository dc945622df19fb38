package io.heddle.api.heartbeat;

/**
 * The Event Admin topic the live-record heartbeat posts, and its properties. Streamed by
 * {@code GET /api/events} as {@code server.ownership_changed}. Since 1.4.
 */
public final class LiveRecordEvents {

    /**
     * A server's live-record heartbeat found that it stopped or started owning the live record
     * ({@link #SERVER_ID}, {@link #OWNER}, {@link #OUTCOME}, {@link #CURRENT_OWNER} when known).
     */
    public static final String OWNERSHIP_CHANGED = "io/heddle/server/OWNERSHIP_CHANGED";

    /** The server whose heartbeat saw the change. */
    public static final String SERVER_ID = "serverId";
    /** Whether that server owns the live record now ({@code Boolean}). */
    public static final String OWNER = "owner";
    /** What the heartbeat did: {@code REFRESHED}, {@code STANDING_BY} or {@code RECLAIMED}. */
    public static final String OUTCOME = "outcome";
    /** The server id the live record names now, when there is one. */
    public static final String CURRENT_OWNER = "currentOwner";

    private LiveRecordEvents() {}
}
