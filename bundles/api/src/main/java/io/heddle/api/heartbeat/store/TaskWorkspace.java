package io.heddle.api.heartbeat.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A workspace of this server as a task store sees it.
 *
 * @param id            the workspace id in this server's catalog (events and run records name it)
 * @param key           the workspace key that a shared store files the workspace's tasks under:
 *                      servers that know a workspace by the same key share its tasks. Stores
 *                      that keep tasks in the workspace's own folder ignore it.
 * @param workspaceRoot the workspace folder, where runs run
 * @param stateRoot     the workspace's state root ({@code <workspaceRoot>/.heddle} by default), where the
 *                      file store keeps its files
 */
public record TaskWorkspace(String id, String key, Path workspaceRoot, Path stateRoot) {

    public TaskWorkspace {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
        workspaceRoot = workspaceRoot.toAbsolutePath().normalize();
        stateRoot = stateRoot.toAbsolutePath().normalize();
    }
}
