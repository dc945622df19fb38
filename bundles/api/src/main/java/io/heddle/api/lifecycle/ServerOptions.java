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
 * @param assets         which web UI to serve (must hold {@code index.html}): the web bundle's
 *                       (the default), a folder's, or none
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
        ServerAssets assets,
        Optional<String> serverId,
        Optional<Path> registryPath,
        OwnershipPolicy ownership) {

    public ServerOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        Objects.requireNonNull(stateRoot, "stateRoot");
        assets = assets == null ? ServerAssets.bundled() : assets;
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

    /** The options in the form of version 1.0: {@code assetsDir} present serves that folder, empty serves no UI. */
    public ServerOptions(
            ServerMode mode,
            String host,
            int port,
            Path workspaceRoot,
            Path stateRoot,
            Optional<Path> assetsDir,
            Optional<String> serverId,
            Optional<Path> registryPath,
            OwnershipPolicy ownership) {
        this(
                mode,
                host,
                port,
                workspaceRoot,
                stateRoot,
                assetsDir == null || assetsDir.isEmpty()
                        ? ServerAssets.none()
                        : ServerAssets.directory(assetsDir.get()),
                serverId,
                registryPath,
                ownership);
    }

    /**
     * Options for {@code mode} on {@code host:port} for a workspace, with state in
     * {@code <workspace>/.heddle}, serving the web bundle's UI.
     */
    public static ServerOptions of(ServerMode mode, String host, int port, Path workspaceRoot) {
        Path root = workspaceRoot.toAbsolutePath().normalize();
        return new ServerOptions(
                mode,
                host,
                port,
                root,
                root.resolve(".heddle"),
                ServerAssets.bundled(),
                Optional.empty(),
                Optional.empty(),
                OwnershipPolicy.CLAIM);
    }

    /** The web UI folder, when {@link #assets()} is a folder. */
    public Optional<Path> assetsDir() {
        return assets.directory();
    }

    public ServerOptions withStateRoot(Path dir) {
        return new ServerOptions(mode, host, port, workspaceRoot, dir, assets, serverId, registryPath, ownership);
    }

    /** Serves the UI in {@code dir}; {@code null} serves none (as in version 1.0). */
    public ServerOptions withAssetsDir(Path dir) {
        return withAssets(dir == null ? ServerAssets.none() : ServerAssets.directory(dir));
    }

    public ServerOptions withAssets(ServerAssets choice) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, choice, serverId, registryPath, ownership);
    }

    public ServerOptions withServerId(String id) {
        return new ServerOptions(
                mode, host, port, workspaceRoot, stateRoot, assets, Optional.ofNullable(id), registryPath, ownership);
    }

    public ServerOptions withRegistryPath(Path file) {
        return new ServerOptions(
                mode, host, port, workspaceRoot, stateRoot, assets, serverId, Optional.ofNullable(file), ownership);
    }

    public ServerOptions withOwnership(OwnershipPolicy policy) {
        return new ServerOptions(mode, host, port, workspaceRoot, stateRoot, assets, serverId, registryPath, policy);
    }
}
