package io.heddle.api.heartbeat;

/**
 * The live-record heartbeat configuration, PID {@value #PID}: how often a server refreshes its
 * record in the daemon registry, and how old a record may be before it counts as stale. The
 * registry, the live-record heartbeat and the launcher all read these names and defaults, so that
 * servers and the command line agree on what "fresh" means (set them in
 * {@code $HEDDLE_HOME/etc/io.heddle.heartbeat.cfg}). Since 1.4.
 */
public final class LiveRecordSettings {

    /** The configuration PID. */
    public static final String PID = "io.heddle.heartbeat";
    /** The key of the refresh interval in milliseconds. */
    public static final String INTERVAL_MS = "intervalMs";
    /** The key of the age in milliseconds after which a record is stale. */
    public static final String STALE_AFTER_MS = "staleAfterMs";
    /** The refresh interval when none (or no positive one) is configured: 15 s. */
    public static final long DEFAULT_INTERVAL_MS = 15_000L;
    /** The staleness when none (or no positive one) is configured: 45 s, three missed refreshes. */
    public static final long DEFAULT_STALE_AFTER_MS = 45_000L;

    private LiveRecordSettings() {}
}
