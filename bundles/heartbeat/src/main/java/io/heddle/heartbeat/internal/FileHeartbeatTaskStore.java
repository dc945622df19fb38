package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Function;

/**
 * The default task store: each workspace's tasks in files under its own state root
 * ({@code <stateRoot>/heartbeat/}, see {@link FileTaskStore}). Servers (and processes) that
 * share a workspace folder share its tasks; the workspace key is not used.
 */
final class FileHeartbeatTaskStore implements HeartbeatTaskStore {

    static final String KIND = "file";

    private final Function<Path, FileTaskStore> files;
    private final Clock clock;

    /** @param files the files of a state root (with the corrupt-file listener and health of the caller) */
    FileHeartbeatTaskStore(Function<Path, FileTaskStore> files, Clock clock) {
        this.files = files;
        this.clock = clock;
    }

    @Override
    public TaskStoreDescription describe() {
        return new TaskStoreDescription(KIND, "files under each workspace's state root (<stateRoot>/heartbeat/)", null);
    }

    /** A fresh handle (it reads every task file at its first {@code list()}). */
    @Override
    public FileWorkspaceTaskStore workspace(TaskWorkspace workspace) {
        return new FileWorkspaceTaskStore(workspace, files.apply(workspace.stateRoot()), clock);
    }

    /** Whether {@code store} keeps its tasks in files (housekeeping that only files need). */
    static boolean isFileStore(WorkspaceTaskStore store) {
        return store instanceof FileWorkspaceTaskStore;
    }
}
