package io.heddle.heartbeat.store.postgres.internal;

import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import java.util.Map;

/**
 * The PostgreSQL task store as a server builds it from its configuration, for the benchmark:
 * each call is one server (its own connection pool, its own probe), as
 * {@code etc/io.heddle.heartbeat.store.postgres.cfg} would make it.
 */
public final class BenchPostgresStores {

    private BenchPostgresStores() {}

    /** A store on {@code properties} (the configuration's keys); close it with {@link #close}. */
    public static HeartbeatTaskStore open(Map<String, Object> properties) {
        PostgresTaskStoreComponent store = new PostgresTaskStoreComponent();
        store.activate(properties);
        String problem = store.describe().problem();
        if (problem != null && store.describe().description().contains("not configured correctly")) {
            throw new IllegalArgumentException(problem);
        }
        return store;
    }

    /** Closes the pool of a store {@link #open} answered. */
    public static void close(HeartbeatTaskStore store) {
        ((PostgresTaskStoreComponent) store).deactivate();
    }
}
