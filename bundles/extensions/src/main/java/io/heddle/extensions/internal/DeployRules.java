package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionProblem;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.osgi.framework.BundleException;

/**
 * The decisions {@link ExtensionDeployer} takes, apart from carrying them out on the framework:
 * each is a function of what the deployer saw (the folder, the index of installed extensions,
 * the bundles' identities), so it can be tested on a real folder without a framework.
 */
final class DeployRules {

    private DeployRules() {}

    /** What a settled, staged jar leads to. */
    enum Step {
        /** The bundle at the jar's location already runs exactly these bytes: keep it (and start it if stopped). */
        KEEP,
        /** No bundle at the jar's location yet. */
        INSTALL,
        /** A bundle runs other content from the jar's location. */
        UPDATE
    }

    /**
     * @param bundleAtLocation whether a bundle is installed from the jar's location
     * @param recordedDigest   the digest the index holds for that location, if any
     * @param digest           the digest of the staged copy
     */
    static Step step(boolean bundleAtLocation, Optional<String> recordedDigest, String digest) {
        if (!bundleAtLocation) {
            return Step.INSTALL;
        }
        return recordedDigest.filter(digest::equals).isPresent() ? Step.KEEP : Step.UPDATE;
    }

    /** What start-up does with one extension the index lists. */
    record Reconciliation(Action action, String file) {

        enum Action {
            /** The bundle is gone already: drop it from the index. */
            FORGET,
            /** Its jar is still in the folder: list it now; the watcher's first scan checks its content. */
            LIST,
            /** Its jar is gone, or lies outside the folder now: uninstall the bundle. */
            UNINSTALL
        }
    }

    /**
     * @param folder           the extensions folder now
     * @param location         the bundle location the index lists
     * @param bundleInstalled  whether the framework still has a bundle at that location
     */
    static Reconciliation reconcile(Path folder, String location, boolean bundleInstalled) {
        Optional<Path> file = fileOf(location);
        if (!bundleInstalled) {
            return new Reconciliation(
                    Reconciliation.Action.FORGET,
                    file.map(DeployRules::fileName).orElse(location));
        }
        if (file.isPresent() && folder.equals(file.get().getParent()) && Files.isRegularFile(file.get())) {
            return new Reconciliation(Reconciliation.Action.LIST, fileName(file.get()));
        }
        return new Reconciliation(
                Reconciliation.Action.UNINSTALL, file.map(DeployRules::fileName).orElse(location));
    }

    /** A bundle the framework has, as far as the symbolic-name rule needs to know it. */
    record InstalledBundle(String location, String symbolicName, String version, boolean extension) {}

    /**
     * The refusal of a jar whose symbolic name another bundle (the platform's or another
     * extension's) already uses; empty when the name is free. The bundle at the jar's own location
     * (the one an update replaces) does not count.
     */
    static Optional<ExtensionProblem> duplicate(
            String file, String symbolicName, String location, Collection<InstalledBundle> installed) {
        for (InstalledBundle other : installed) {
            if (other.location().equals(location) || !symbolicName.equals(other.symbolicName())) {
                continue;
            }
            String user = other.extension()
                    ? "the extension "
                            + fileOf(other.location())
                                    .map(DeployRules::fileName)
                                    .orElse(other.location())
                    : "the platform bundle " + other.symbolicName() + " " + other.version();
            return Optional.of(new ExtensionProblem(
                    "duplicate",
                    file + " has the symbolic name " + symbolicName + ", which " + user
                            + " already uses. Give each extension its own Bundle-SymbolicName."));
        }
        return Optional.empty();
    }

    /** After a jar left the folder: the jars refused for a symbolic name it may have held, to deploy again. */
    static List<String> retryAfterRemoval(Collection<ExtensionEntry> entries) {
        return entries.stream()
                .filter(e -> hasProblem(e, "duplicate"))
                .map(ExtensionEntry::file)
                .toList();
    }

    /**
     * After a jar was installed or updated: the other installed extensions that could not resolve,
     * which the changed one may have been waiting for, to start again.
     */
    static List<ExtensionEntry> retryAfterChange(Collection<ExtensionEntry> entries, String changed) {
        return entries.stream()
                .filter(e -> !e.file().equals(changed) && e.bundleId().isPresent() && hasProblem(e, "unresolved"))
                .toList();
    }

    /**
     * The problem of a bundle that could not start.
     *
     * @param missingImports what the bundle imports and nothing exports, when that can be told;
     *                       asked only when the bundle could not resolve
     */
    static ExtensionProblem startProblem(String file, Throwable thrown, Supplier<Optional<String>> missingImports) {
        if (thrown instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR) {
            return new ExtensionProblem(
                    "unresolved",
                    file + " cannot be resolved: " + missingImports.get().orElse(describe(thrown)));
        }
        return new ExtensionProblem("start_failed", file + " failed to start: " + describe(thrown));
    }

    /** The bundle location of a jar of the folder: its file URI, as FileInstall writes it. */
    static String location(Path file) {
        return file.toFile().toURI().normalize().toString();
    }

    /** The file a bundle location names; empty for a location that is not a file URI. */
    static Optional<Path> fileOf(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) ? Optional.of(new File(uri).toPath()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The exception's message and its root cause, in one line. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null && cause != e) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString().replaceAll("\\s+", " ").trim();
    }

    private static boolean hasProblem(ExtensionEntry entry, String code) {
        return entry.problem().map(p -> p.code().equals(code)).orElse(false);
    }

    private static String fileName(Path file) {
        return file.getFileName().toString();
    }
}
