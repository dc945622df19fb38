package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;
import java.util.Optional;

/**
 * What the deployer knows of one jar of the folder: the identity its manifest gave, the bundle
 * it became (if any) and the problem the last deploy step met (if any).
 */
record ExtensionEntry(
        String file,
        Optional<String> symbolicName,
        Optional<String> version,
        Optional<Long> bundleId,
        Optional<ExtensionProblem> problem) {

    static ExtensionEntry failed(String file, JarInspection.BundleIdentity identity, ExtensionProblem problem) {
        return new ExtensionEntry(
                file,
                Optional.ofNullable(identity).map(JarInspection.BundleIdentity::symbolicName),
                Optional.ofNullable(identity).map(JarInspection.BundleIdentity::version),
                Optional.empty(),
                Optional.of(problem));
    }

    ExtensionEntry withProblem(ExtensionProblem newProblem) {
        return new ExtensionEntry(file, symbolicName, version, bundleId, Optional.ofNullable(newProblem));
    }
}
