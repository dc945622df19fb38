package io.heddle.api.extensions;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One jar of the extensions folder and the bundle it became, if any.
 *
 * @param file          the jar's file name inside the folder
 * @param symbolicName  the bundle's symbolic name, once its manifest could be read
 * @param version       the bundle's version, once its manifest could be read
 * @param bundleId      the installed bundle, or empty when the jar is not installed
 * @param state         {@code INSTALLED}, {@code RESOLVED}, {@code STARTING}, {@code ACTIVE} or
 *                      {@code STOPPING} for an installed bundle; {@code NOT_INSTALLED} when the
 *                      jar is not (yet) a bundle that could be installed
 * @param error         what is wrong with this extension, if anything
 * @param servlets      the servlet patterns its HTTP Whiteboard servlets registered
 * @param runners       the kinds of the heartbeat task runners it registered ({@code heddle.runner})
 */
public record ExtensionStatus(
        String file,
        Optional<String> symbolicName,
        Optional<String> version,
        Optional<Long> bundleId,
        String state,
        Optional<ExtensionProblem> error,
        List<String> servlets,
        List<String> runners) {

    /** The state of a jar that is not installed as a bundle. */
    public static final String NOT_INSTALLED = "NOT_INSTALLED";

    public ExtensionStatus {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(state, "state");
        symbolicName = symbolicName == null ? Optional.empty() : symbolicName;
        version = version == null ? Optional.empty() : version;
        bundleId = bundleId == null ? Optional.empty() : bundleId;
        error = error == null ? Optional.empty() : error;
        servlets = servlets == null ? List.of() : List.copyOf(servlets);
        runners = runners == null ? List.of() : List.copyOf(runners);
    }
}
