package io.heddle.api.heartbeat.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a task store is, for {@code /api/health}, {@code heddle status} and the UI.
 *
 * @param kind        a short name: {@code file}, {@code postgresql}, ...
 * @param description a sentence for people (e.g. host, database and namespace), never a secret
 * @param problem     why the store cannot be used now (the cause, in a sentence), or null when it can
 * @param location    where it is, as named parts (for a database: {@code host}, {@code port},
 *                    {@code database}, {@code namespace}); never a secret; empty when it has none
 * @param servers     the servers that used a shared store lately, newest first, as last read
 *                    (a store answers from memory); empty for a store of one server
 */
public record TaskStoreDescription(
        String kind, String description, String problem, Map<String, String> location, List<TaskStoreServer> servers) {

    public TaskStoreDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        location = location == null ? Map.of() : Map.copyOf(location);
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    /** A store with no location parts and no servers to show. */
    public TaskStoreDescription(String kind, String description, String problem) {
        this(kind, description, problem, Map.of(), List.of());
    }

    public boolean available() {
        return problem == null;
    }
}
