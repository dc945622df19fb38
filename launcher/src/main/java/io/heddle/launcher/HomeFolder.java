package io.heddle.launcher;

import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.storage.internal.HeddleHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The per-user folder ({@code HEDDLE_HOME}, default {@code ~/.heddle}) as CONTRACTS.md lays
 * it out: the registry and its lock, {@code run/} tokens, {@code cache/} bundle caches,
 * {@code etc/} configuration overrides.
 */
record HomeFolder(Path root) {

    static HomeFolder fromEnvironment() {
        return new HomeFolder(HeddleHome.resolve(key -> null));
    }

    Path registryFile() {
        return root.resolve(HeddleHome.REGISTRY_FILE);
    }

    Path etc() {
        return root.resolve("etc");
    }

    Path run() {
        return root.resolve("run");
    }

    Path cache() {
        return root.resolve("cache");
    }

    Path cacheFor(String serverId) {
        return cache().resolve(safeFileName(serverId));
    }

    Path tokenFile(String serverId) {
        return run().resolve(safeFileName(serverId) + ".token");
    }

    /** How old a heartbeat may be: the same setting the servers read ({@code etc/io.heddle.heartbeat.cfg}). */
    Duration staleAfter() {
        return ConfigOverrides.staleAfter(etc());
    }

    /** The registry with the servers' notion of freshness; warnings (e.g. a file set aside) go to {@code warnings}. */
    FileDaemonRegistry openRegistry(Consumer<String> warnings) {
        return FileDaemonRegistry.open(registryFile(), staleAfter(), warnings);
    }

    /** Server ids become file names: the same rule the lifecycle uses for token files. */
    static String safeFileName(String serverId) {
        return serverId.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
