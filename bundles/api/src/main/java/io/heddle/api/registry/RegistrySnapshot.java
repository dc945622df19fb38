package io.heddle.api.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the registry file held at one moment.
 *
 * @param version    the file format version (1)
 * @param updatedAt  when the file was last written; null for an empty registry
 * @param server     the live-server record, if any
 * @param workspaces the known workspaces, in file order
 */
public record RegistrySnapshot(
        int version, Instant updatedAt, Optional<ServerRecord> server, List<WorkspaceEntry> workspaces) {

    public static final int FORMAT_VERSION = 1;

    public RegistrySnapshot {
        server = server == null ? Optional.empty() : server;
        workspaces = workspaces == null ? List.of() : List.copyOf(workspaces);
    }

    /** The registry of a machine that has never run a server. */
    public static RegistrySnapshot empty() {
        return new RegistrySnapshot(FORMAT_VERSION, null, Optional.empty(), List.of());
    }
}
