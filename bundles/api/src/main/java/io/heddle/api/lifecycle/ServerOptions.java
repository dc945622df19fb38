package io.heddle.api.lifecycle;

import io.heddle.api.registry.ServerMode;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to start.
 *
 * @param mode           daemon or embedded-chat
 * @param host           the host to bind, e.g. {@code 127.0.0.1}
 * @param port           the port to bind; {@code 0} picks a free one
 * @param workspaceRoot  the workspace folder
 * @param stateRoot      the workspace state folder, usually {@code <workspaceRoot>/.heddle}
 * @param assetsDir      the web UI folder (must hold {@code index.html}), or empty for none
 * @param serverId       an explicit server id, or empty for {@code <mode>-<pid>-<epochMillis>}
 * @param registryPath   an explicit registry file, or empty for the user's registry
 * @param ownership      what to do when another fresh server holds the live record
 */
public record ServerOptions(
        ServerMode mode,
        String host,
        int port,
        Path workspaceRoot,
        Path stateRoot,
        Optional<Path> assetsDir,
        Optional<String> serverId,
        Optional<Path> registryPath,
        OwnershipPolicy ownership) {

    public ServerOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
        assetsDir = assetsDir == null ? Optional.empty() : assetsDir;
        serverId = serverId == null ? Optional.empty() : serverId;
        registryPath = registryPath == null ? Optional.empty() : registryPath;
        ownership = ownership == null ? OwnershipPolicy.CLAIM : ownership;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
    }

    /** Options for {@code mode} on {@code host:port} for a workspace, with state in {@code <workspace>/.heddle}. */
    public static ServerOptions of(ServerMode mode, String host, int port, Path workspaceRoot) {
        Path root = workspaceRoot.toAbsolutePath().normalize();
        return new ServerOptions(mode, host, port, root, root.resolve(".heddle"), Optional.empty(), Optional.empty(),
                Optional.empty(), OwnershipPolicy.CLAIM);
    }

    public ServerOptions withStateRoot(Path dir) {
        return new ServerOptions(mode, host, port, workspaceRoot, dir, assetsDir, serverId, registryPath, ownership);
    }

    public ServerOptions withAssetsDir(Path dir) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, Optional.ofNullable(dir), serverId,
                registryPath, ownership);
    }

    public ServerOptions withServerId(String id) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, assetsDir, Optional.ofNullable(id),
                registryPath, ownership);
    }

    public ServerOptions withRegistryPath(Path file) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, assetsDir, serverId,
                Optional.ofNullable(file), ownership);
    }

    public ServerOptions withOwnership(OwnershipPolicy policy) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, assetsDir, serverId, registryPath,
                policy);
    }
}
