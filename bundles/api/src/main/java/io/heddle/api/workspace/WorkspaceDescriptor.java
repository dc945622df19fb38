package io.heddle.api.workspace;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A workspace: a folder the control plane serves, and the state root that holds its
 * catalog, heartbeat tasks, chat sessions and logs.
 *
 * @param workspaceKey the key a shared task store files this workspace's tasks under, as set for
 *                     this workspace; null when not set (the key is then derived from the folder:
 *                     its git {@code origin} remote, else its name)
 */
public record WorkspaceDescriptor(
        String id,
        String name,
        String workspaceRoot,
        List<String> repoRoots,
        String stateRoot,
        Instant createdAt,
        Instant updatedAt,
        String workspaceKey) {

    /** A workspace whose key is not set. */
    public WorkspaceDescriptor(
            String id,
            String name,
            String workspaceRoot,
            List<String> repoRoots,
            String stateRoot,
            Instant createdAt,
            Instant updatedAt) {
        this(id, name, workspaceRoot, repoRoots, stateRoot, createdAt, updatedAt, null);
    }

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
