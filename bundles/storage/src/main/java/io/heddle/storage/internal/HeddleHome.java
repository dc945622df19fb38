package io.heddle.storage.internal;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The per-user folder and its layout, the one definition the launcher and the bundles share.
 * Where it is: the framework property {@code heddle.home}, else the environment variable
 * {@code HEDDLE_HOME}, else {@code ~/.heddle}. What it holds:
 * <pre>
 * daemon-registry.json     the registry (and daemon-registry.lock beside it)
 * run/&lt;serverId&gt;.token     each running server's access token
 * run/http-bind.lock       held while a server binds a fixed port
 * cache/&lt;serverId&gt;/        each server's bundle cache
 * etc/&lt;pid&gt;.cfg            configuration overrides
 * extensions/              extension bundles (unless configured elsewhere)
 * </pre>
 * Server ids become file names through {@link #safeFileName}.
 */
public record HeddleHome(Path root) {

    public static final String FRAMEWORK_PROPERTY = "heddle.home";
    public static final String ENV = "HEDDLE_HOME";
    public static final String REGISTRY_FILE = "daemon-registry.json";
    /** In {@code run/}: held while a server binds a fixed port. */
    public static final String BIND_LOCK_FILE = "http-bind.lock";

    public HeddleHome {
        Objects.requireNonNull(root, "root");
    }

    /** The home of the registry file {@code registryFile} (its folder). */
    public static HeddleHome ofRegistryFile(Path registryFile) {
        return new HeddleHome(registryFile.toAbsolutePath().normalize().getParent());
    }

    /**
     * @param frameworkProperty looks up a framework property (null when unset); pass
     *                          {@code k -> null} outside a framework
     */
    public static Path resolve(UnaryOperator<String> frameworkProperty) {
        String fromFramework = frameworkProperty.apply(FRAMEWORK_PROPERTY);
        if (fromFramework != null && !fromFramework.isBlank()) {
            return Path.of(fromFramework).toAbsolutePath().normalize();
        }
        String fromEnv = System.getenv(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".heddle")
                .toAbsolutePath()
                .normalize();
    }

    public Path registryFile() {
        return root.resolve(REGISTRY_FILE);
    }

    public Path etc() {
        return root.resolve("etc");
    }

    public Path run() {
        return root.resolve("run");
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path extensions() {
        return root.resolve("extensions");
    }

    public Path cacheFor(String serverId) {
        return cache().resolve(safeFileName(serverId));
    }

    public Path tokenFile(String serverId) {
        return run().resolve(safeFileName(serverId) + ".token");
    }

    public Path bindLockFile() {
        return run().resolve(BIND_LOCK_FILE);
    }

    /** Server ids become file and instance names: anything outside {@code [A-Za-z0-9._-]} becomes {@code _}. */
    public static String safeFileName(String serverId) {
        return serverId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
