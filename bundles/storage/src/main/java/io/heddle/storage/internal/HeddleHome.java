package io.heddle.storage.internal;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where per-user state lives: the framework property {@code heddle.home}, else the
 * environment variable {@code HEDDLE_HOME}, else {@code ~/.heddle}.
 */
public final class HeddleHome {

    public static final String FRAMEWORK_PROPERTY = "heddle.home";
    public static final String ENV = "HEDDLE_HOME";
    public static final String REGISTRY_FILE = "daemon-registry.json";

    private HeddleHome() {
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
        return Path.of(System.getProperty("user.home"), ".heddle").toAbsolutePath().normalize();
    }
}
