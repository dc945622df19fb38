package io.heddle.api.registry;

import io.heddle.api.workspace.WorkspaceDescriptor;
import java.time.Instant;
import java.util.Objects;

/**
 * A known workspace, as the registry keeps it (keyed by its resolved state root). It is a
 * catalog fact and never implies server ownership.
 */
public record WorkspaceEntry(WorkspaceDescriptor workspace, Instant updatedAt) {
    public WorkspaceEntry {
        Objects.requireNonNull(workspace, "workspace");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
