package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;

/** A catalog workspace as the task store sees it. */
final class TaskWorkspaces {

    private TaskWorkspaces() {
    }

    /**
     * The workspace with its key. Until the catalog keeps a workspace key (the shared store's
     * issue), the key is the workspace folder's name; the file store does not use it.
     */
    static TaskWorkspace of(WorkspaceDescriptor w) {
        Path root = Path.of(w.workspaceRoot());
        Path name = root.toAbsolutePath().normalize().getFileName();
        return new TaskWorkspace(w.id(), name == null ? w.id() : name.toString(), root, Path.of(w.stateRoot()));
    }
}
