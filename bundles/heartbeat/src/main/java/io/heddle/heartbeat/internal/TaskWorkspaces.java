package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;

/** A catalog workspace as the task store sees it. */
final class TaskWorkspaces {

    private TaskWorkspaces() {}

    /**
     * The workspace with its key: the one set for it in the catalog, else {@link WorkspaceKeys}
     * (the normalised {@code origin} remote, else the folder's name); the file store does not use it.
     */
    static TaskWorkspace of(WorkspaceDescriptor w) {
        Path root = Path.of(w.workspaceRoot());
        String key = w.workspaceKey() != null ? w.workspaceKey() : WorkspaceKeys.of(root);
        return new TaskWorkspace(w.id(), key, root, Path.of(w.stateRoot()));
    }
}
