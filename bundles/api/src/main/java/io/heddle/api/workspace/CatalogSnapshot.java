package io.heddle.api.workspace;

import java.util.List;
import java.util.Optional;

/**
 * The per-workspace catalog ({@code <stateRoot>/workspaces.catalog.json}): the workspaces
 * this state root knows, and which one is active.
 */
public record CatalogSnapshot(String activeWorkspaceId, List<WorkspaceDescriptor> workspaces) {

    public CatalogSnapshot {
        workspaces = workspaces == null ? List.of() : List.copyOf(workspaces);
    }

    public Optional<WorkspaceDescriptor> find(String id) {
        return workspaces.stream().filter(w -> w.id().equals(id)).findFirst();
    }

    public Optional<WorkspaceDescriptor> active() {
        return activeWorkspaceId == null ? Optional.empty() : find(activeWorkspaceId);
    }
}
