package io.heddle.api.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workspace: a folder the control plane serves, and the state root that holds its
 * catalog, heartbeat tasks, chat sessions and logs.
 */
public record WorkspaceDescriptor(
        String id,
        String name,
        String workspaceRoot,
        List<String> repoRoots,
        String stateRoot,
        Instant createdAt,
        Instant updatedAt) {

    public WorkspaceDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        repoRoots = repoRoots == null ? List.of() : List.copyOf(repoRoots);
    }
}
