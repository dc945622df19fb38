package io.heddle.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * The folder this launcher runs from: {@code bin/heddle}, {@code lib/} (the launcher's class
 * path), {@code bundles/} (the platform, installed into the framework), {@code etc/} (the
 * logging configuration).
 */
record Distribution(Path root) {

    /** {@code -Dheddle.dist} (set by {@code bin/heddle}), else the folder above the launcher's jar. */
    static Distribution locate() {
        String property = System.getProperty("heddle.dist");
        if (property != null && !property.isBlank()) {
            return new Distribution(Path.of(property).toAbsolutePath().normalize());
        }
        try {
            CodeSource source = Distribution.class.getProtectionDomain().getCodeSource();
            Path jar = Path.of(source.getLocation().toURI());
            Path lib = Files.isDirectory(jar) ? jar : jar.getParent();
            return new Distribution(lib.getParent().toAbsolutePath().normalize());
        } catch (URISyntaxException | RuntimeException e) {
            return new Distribution(Path.of("").toAbsolutePath());
        }
    }

    Path bundles() {
        return root.resolve("bundles");
    }
}
