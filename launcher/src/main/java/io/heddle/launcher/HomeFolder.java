package io.heddle.launcher;

import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.storage.internal.HeddleHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The per-user folder ({@code HEDDLE_HOME}, default {@code ~/.heddle}) as the launcher uses it:
 * its layout is {@link HeddleHome}'s (the one the bundles use too); this adds what only the
 * launcher does with it, opening the registry with the servers' notion of freshness.
 */
record HomeFolder(Path root) {

    static HomeFolder fromEnvironment() {
        return new HomeFolder(HeddleHome.resolve(NoFrameworkProperties.INSTANCE));
    }

    /**
     * Outside a framework no framework property is set. A named class, not a lambda: the attach
     * path ({@code heddle daemon} with a live server) runs without {@code java.lang.invoke}
     * (docs/decisions/0092-attach-path-without-invoke-and-formatters.md).
     */
    private static final class NoFrameworkProperties implements UnaryOperator<String> {
        static final NoFrameworkProperties INSTANCE = new NoFrameworkProperties();

        @Override
        public String apply(String key) {
            return null;
        }
    }

    HeddleHome layout() {
        return new HeddleHome(root);
    }

    Path registryFile() {
        return layout().registryFile();
    }

    Path etc() {
        return layout().etc();
    }

    Path run() {
        return layout().run();
    }

    Path cache() {
        return layout().cache();
    }

    Path cacheFor(String serverId) {
        return layout().cacheFor(serverId);
    }

    Path tokenFile(String serverId) {
        return layout().tokenFile(serverId);
    }

    /** How old a heartbeat may be: the same setting the servers read ({@code etc/io.heddle.heartbeat.cfg}). */
    Duration staleAfter() {
        return ConfigOverrides.staleAfter(etc());
    }

    /** The registry with the servers' notion of freshness; warnings (e.g. a file set aside) go to {@code warnings}. */
    FileDaemonRegistry openRegistry(Consumer<String> warnings) {
        return FileDaemonRegistry.open(registryFile(), staleAfter(), warnings);
    }

    /** Server ids become file names: {@link HeddleHome#safeFileName}, the rule the lifecycle uses too. */
    static String safeFileName(String serverId) {
        return HeddleHome.safeFileName(serverId);
    }
}
