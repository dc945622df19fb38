package io.heddle.api.extensions;

import java.util.Objects;

/**
 * What is wrong with one extension. Codes:
 * <ul>
 * <li>{@code invalid_jar}: the file does not open as a complete jar (still being written, or damaged)</li>
 * <li>{@code not_a_bundle}: no manifest, or no {@code Bundle-SymbolicName}</li>
 * <li>{@code install_failed}: the framework refused the bundle (e.g. a malformed header)</li>
 * <li>{@code duplicate}: its symbolic name is already used by the platform or another extension</li>
 * <li>{@code update_failed}: the new version could not replace the running one</li>
 * <li>{@code unresolved}: its imports or other requirements cannot be satisfied</li>
 * <li>{@code start_failed}: its activator threw</li>
 * <li>{@code component_failed}: a Declarative Services component failed to activate or lacks a reference</li>
 * <li>{@code servlet_failed}: a servlet could not be registered, or threw while serving a request</li>
 * </ul>
 *
 * @param code    one of the codes above
 * @param message a sentence that names the cause
 */
public record ExtensionProblem(String code, String message) {

    public ExtensionProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
