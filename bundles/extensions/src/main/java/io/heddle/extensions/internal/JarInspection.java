package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Opens a (staged, private) copy of an extension jar the way the framework will: through its
 * central directory, so a jar that is still being written or was cut short is refused here and
 * never reaches the framework.
 */
final class JarInspection {

    /** What the manifest says. */
    record BundleIdentity(String symbolicName, String version) {}

    /** The fix for a jar that is not a bundle, in every such problem. */
    static final String HOW_TO_MAKE_A_BUNDLE = "Build it with bnd (bnd-maven-plugin writes Bundle-SymbolicName and "
            + "the imports), or generate the project from the archetype io.heddle:heddle-extension-archetype "
            + "(see docs/extensions.md).";

    private JarInspection() {}

    static BundleIdentity inspect(Path jar, String fileName) throws ExtensionFailure {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            manifest = file.getManifest();
        } catch (IOException | RuntimeException e) {
            throw new ExtensionFailure(new ExtensionProblem(
                    "invalid_jar",
                    fileName + " does not open as a complete jar (" + e.getMessage()
                            + "). It is installed once it is complete; write jars elsewhere and move them in."));
        }
        if (manifest == null) {
            throw new ExtensionFailure(new ExtensionProblem(
                    "not_a_bundle",
                    fileName + " has no META-INF/MANIFEST.MF, so it is not an OSGi bundle. " + HOW_TO_MAKE_A_BUNDLE));
        }
        Attributes main = manifest.getMainAttributes();
        String symbolicName = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (symbolicName == null || symbolicName.isBlank()) {
            throw new ExtensionFailure(new ExtensionProblem(
                    "not_a_bundle",
                    fileName + " has no Bundle-SymbolicName header in its manifest, so it is not an OSGi bundle. "
                            + HOW_TO_MAKE_A_BUNDLE));
        }
        String name = symbolicName.split(";", 2)[0].trim();
        String version = main.getValue(Constants.BUNDLE_VERSION);
        try {
            version = Version.parseVersion(version == null ? null : version.trim())
                    .toString();
        } catch (IllegalArgumentException e) {
            throw new ExtensionFailure(new ExtensionProblem(
                    "install_failed",
                    fileName + " has an invalid Bundle-Version '" + version + "': " + e.getMessage()));
        }
        return new BundleIdentity(name, version);
    }
}
