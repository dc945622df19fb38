package io.heddle.api.heartbeat.store;

import java.util.Objects;

/**
 * What a task store is, for {@code /api/health}, {@code heddle status} and the UI.
 *
 * @param kind        a short name: {@code file}, {@code postgresql}, ...
 * @param description a sentence for people (e.g. host, database and namespace), never a secret
 * @param problem     why the store cannot be used now (the cause, in a sentence), or null when it can
 */
public record TaskStoreDescription(String kind, String description, String problem) {

    public TaskStoreDescription {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
    }

    public boolean available() {
        return problem == null;
    }
}
