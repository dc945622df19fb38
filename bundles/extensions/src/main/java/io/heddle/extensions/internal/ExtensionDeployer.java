package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionEvents;
import io.heddle.api.extensions.ExtensionProblem;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the jars of the extensions folder into bundles, one file at a time, under these rules:
 * <ul>
 * <li>A jar is acted on only once it has settled (the same size and time a scan apart) and a
 *     private copy of it opens as a complete jar with a bundle manifest. The framework only ever
 *     reads that private copy, never the folder's file, so a jar overwritten in place cannot
 *     break a running bundle's class loading.</li>
 * <li>A changed jar updates its bundle; the old version keeps running if the new one is refused.</li>
 * <li>A removed jar uninstalls its bundle.</li>
 * <li>An extension may not take a symbolic name the platform or another extension already uses.</li>
 * <li>Every problem is recorded for {@code /api/extensions} and posted as an event; nothing is thrown
 *     back at the watcher, so one broken jar never stops the others.</li>
 * </ul>
 * Calls are serialised: FileInstall's watcher thread calls in, and so does the start-up reconciliation.
 */
final class ExtensionDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(ExtensionDeployer.class);
    private static final Duration REFRESH_DEADLINE = Duration.ofSeconds(30);

    /** Posts one event; a no-op when Event Admin is absent. */
    interface Events {
        void post(String topic, Map<String, Object> properties);
    }

    /** Decides whether a file reported as changed has settled: unchanged after one scan interval. */
    interface Settling {
        boolean settled(Path file, FileSignature seen) throws InterruptedException;

        static Settling pauseOf(Duration interval) {
            return (file, seen) -> {
                TimeUnit.NANOSECONDS.sleep(interval.toNanos());
                return FileSignature.of(file).map(seen::equals).orElse(false);
            };
        }
    }

    private final BundleContext context;
    private final Path folder;
    private final Path staging;
    private final InstalledIndex index;
    private final Events events;
    private final Settling settling;
    private final LongConsumer bundleReplaced;
    private final Function<Bundle, Optional<ExtensionProblem>> afterStart;
    private final Map<String, ExtensionEntry> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private volatile boolean closed;

    /**
     * @param bundleReplaced told the id of a bundle whose content was replaced or removed, so
     *                       what was recorded about its old content can be forgotten
     * @param afterStart     a problem a started bundle shows at once (an immediate component that
     *                       failed): posted as an event; {@code /api/extensions} finds it live
     */
    ExtensionDeployer(BundleContext context, Path folder, Path staging, InstalledIndex index, Events events,
            Settling settling, LongConsumer bundleReplaced, Function<Bundle, Optional<ExtensionProblem>> afterStart) {
        this.context = context;
        this.folder = folder;
        this.staging = staging;
        this.index = index;
        this.events = events;
        this.settling = settling;
        this.bundleReplaced = bundleReplaced;
        this.afterStart = afterStart;
    }

    Path folder() {
        return folder;
    }

    /** A snapshot of every known jar, by file name. */
    Map<String, ExtensionEntry> entries() {
        return Map.copyOf(entries);
    }

    /** Whether this bundle is one that the deployer installed from the current folder. */
    boolean isExtension(Bundle bundle) {
        return entries.values().stream().anyMatch(e -> e.bundleId().orElse(-1L) == bundle.getBundleId());
    }

    /** The bundle location of a jar of the folder: its file URI, as FileInstall writes it. */
    static String location(Path file) {
        return file.toFile().toURI().normalize().toString();
    }

    /**
     * Applies what changed while no watcher ran: extensions whose jar is gone (or lies outside the
     * folder now) are uninstalled; the others are listed at once and checked again by the
     * watcher's first scan, which updates those whose jar changed.
     */
    void reconcileAtStart() {
        synchronized (lock) {
            for (Map.Entry<String, String> installed : index.entries().entrySet()) {
                String location = installed.getKey();
                Bundle bundle = context.getBundle(location);
                if (bundle == null) {
                    index.remove(location);
                    continue;
                }
                Optional<Path> file = fileOf(location);
                if (file.isPresent() && folder.equals(file.get().getParent()) && Files.isRegularFile(file.get())) {
                    String name = file.get().getFileName().toString();
                    entries.put(name, new ExtensionEntry(name, Optional.ofNullable(bundle.getSymbolicName()),
                            Optional.of(bundle.getVersion().toString()), Optional.of(bundle.getBundleId()),
                            Optional.empty()));
                } else {
                    String name = file.map(f -> f.getFileName().toString()).orElse(location);
                    LOG.info("Extension {} was removed while Heddle was stopped: uninstalling {}", name,
                            bundle.getSymbolicName());
                    uninstall(name, bundle);
                    index.remove(location);
                }
            }
        }
    }

    /**
     * Installs or updates the bundle of one jar.
     *
     * @param confirmSettled whether to check again, one scan later, that the jar has stopped
     *                       changing (FileInstall already did for new files, not for changed ones)
     */
    void deploy(Path file, boolean confirmSettled) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            String name = file.getFileName().toString();
            Optional<FileSignature> seen = FileSignature.of(file);
            if (seen.isEmpty()) {
                return; // gone again; its removal is reported next
            }
            try {
                if (confirmSettled && !settling.settled(file, seen.get())) {
                    LOG.debug("{} is still changing; it is deployed once it settles", name);
                    return; // the watcher reports it again once it settles
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Path staged = null;
            JarInspection.BundleIdentity identity = null;
            try {
                staged = stage(file, seen.get());
                if (staged == null) {
                    LOG.debug("{} changed while it was copied; it is deployed once it settles", name);
                    return;
                }
                identity = JarInspection.inspect(staged, name);
                String digest = sha256(staged);
                String location = location(file);
                Bundle existing = context.getBundle(location);
                if (existing != null && digest.equals(index.digest(location).orElse(null))) {
                    // Same content (a touch, a rewrite of the same bytes, or a restart): keep it running.
                    entries.put(name, entryOf(name, existing, start(existing, name).orElse(null)));
                    return;
                }
                refuseDuplicate(name, identity, location);
                if (existing == null) {
                    install(name, staged, location, digest);
                } else {
                    update(name, staged, existing, digest);
                }
                startUnresolvedOthers(name);
            } catch (ExtensionFailure failure) {
                recordFailure(name, identity, failure.problem());
            } catch (IOException | RuntimeException e) {
                recordFailure(name, identity, new ExtensionProblem("install_failed",
                        name + " could not be deployed: " + describe(e)));
            } finally {
                deleteQuietly(staged);
            }
        }
    }

    /** Uninstalls the bundle of a jar that left the folder. */
    void remove(Path file) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            String name = file.getFileName().toString();
            String location = location(file);
            Bundle bundle = context.getBundle(location);
            if (bundle != null) {
                uninstall(name, bundle);
            }
            entries.remove(name);
            index.remove(location);
            // A jar refused for a symbolic name that this one held may be installable now.
            for (ExtensionEntry entry : List.copyOf(entries.values())) {
                if (entry.problem().map(p -> p.code().equals("duplicate")).orElse(false)) {
                    deploy(folder.resolve(entry.file()), false);
                }
            }
        }
    }

    /** Stops acting on calls; the bundles stay as they are. */
    void close() {
        closed = true;
        synchronized (lock) {
            // waits for a deploy that is under way
        }
    }

    private void install(String name, Path staged, String location, String digest) throws ExtensionFailure, IOException {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(staged)) {
            bundle = context.installBundle(location, in);
        } catch (BundleException | IllegalStateException | SecurityException e) {
            throw new ExtensionFailure(new ExtensionProblem("install_failed", name + " was refused by the framework: "
                    + describe(e)));
        }
        index.put(location, digest);
        entries.put(name, entryOf(name, bundle, null)); // listed before it starts serving
        Optional<ExtensionProblem> problem = start(bundle, name);
        ExtensionEntry entry = entryOf(name, bundle, problem.orElse(null));
        entries.put(name, entry);
        LOG.info("Extension {} installed: {} {}", name, bundle.getSymbolicName(), bundle.getVersion());
        events.post(ExtensionEvents.INSTALLED, eventProperties(entry));
        problem.ifPresent(p -> LOG.warn("Extension {}: {}", name, p.message()));
        problem.or(() -> afterStart.apply(bundle)).ifPresent(p -> postFailure(entry, p));
    }

    private void update(String name, Path staged, Bundle bundle, String digest) throws ExtensionFailure, IOException {
        String before = bundle.getVersion().toString();
        try {
            stopTransiently(bundle);
            try (InputStream in = Files.newInputStream(staged)) {
                bundle.update(in);
            }
        } catch (BundleException | IllegalStateException | SecurityException e) {
            // The framework keeps the old revision when an update is refused: let it run on.
            start(bundle, name);
            throw new ExtensionFailure(new ExtensionProblem("update_failed", name + " could not replace the running "
                    + "version " + before + ": " + describe(e) + ". The running version stays."));
        }
        refresh(List.of(bundle));
        bundleReplaced.accept(bundle.getBundleId());
        index.put(location(folder.resolve(name)), digest);
        entries.put(name, entryOf(name, bundle, null)); // the old content's problems are gone before it serves
        Optional<ExtensionProblem> problem = start(bundle, name);
        ExtensionEntry entry = entryOf(name, bundle, problem.orElse(null));
        entries.put(name, entry);
        LOG.info("Extension {} updated: {} {} -> {}", name, bundle.getSymbolicName(), before, bundle.getVersion());
        events.post(ExtensionEvents.UPDATED, eventProperties(entry));
        problem.ifPresent(p -> LOG.warn("Extension {}: {}", name, p.message()));
        problem.or(() -> afterStart.apply(bundle)).ifPresent(p -> postFailure(entry, p));
    }

    private void uninstall(String name, Bundle bundle) {
        ExtensionEntry entry = entryOf(name, bundle, null);
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // A stop() that throws still leaves the bundle uninstalled; anything else is logged.
            LOG.warn("Uninstalling extension {} ({}): {}", name, bundle.getSymbolicName(), describe(e));
        }
        refresh(List.of(bundle));
        bundleReplaced.accept(bundle.getBundleId());
        LOG.info("Extension {} uninstalled: {} {}", name, entry.symbolicName().orElse("?"), entry.version().orElse("?"));
        events.post(ExtensionEvents.UNINSTALLED, eventProperties(entry));
    }

    /** Starts a bundle; answers the problem when it cannot start. Fragments are never started. */
    private Optional<ExtensionProblem> start(Bundle bundle, String name) {
        if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.UNINSTALLED) {
            return Optional.empty();
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
            return Optional.empty();
        }
        try {
            bundle.start();
            return Optional.empty();
        } catch (BundleException e) {
            if (e.getType() == BundleException.RESOLVE_ERROR) {
                return Optional.of(new ExtensionProblem("unresolved", name + " cannot be resolved: "
                        + ImportDiagnosis.missingImports(context, bundle).orElse(describe(e))));
            }
            return Optional.of(new ExtensionProblem("start_failed", name + " failed to start: " + describe(e)));
        } catch (IllegalStateException | SecurityException e) {
            return Optional.of(new ExtensionProblem("start_failed", name + " failed to start: " + describe(e)));
        }
    }

    /** A new or changed extension may be what an unresolved one was waiting for. */
    private void startUnresolvedOthers(String changed) {
        for (ExtensionEntry entry : List.copyOf(entries.values())) {
            if (entry.file().equals(changed) || entry.bundleId().isEmpty()
                    || !entry.problem().map(p -> p.code().equals("unresolved")).orElse(false)) {
                continue;
            }
            Bundle bundle = context.getBundle(entry.bundleId().get());
            if (bundle != null && bundle.getState() == Bundle.INSTALLED) {
                Optional<ExtensionProblem> problem = start(bundle, entry.file());
                if (problem.isEmpty()) {
                    LOG.info("Extension {} resolved and started after {} changed", entry.file(), changed);
                }
                entries.put(entry.file(), entry.withProblem(problem.orElse(null)));
            }
        }
    }

    private void refuseDuplicate(String name, JarInspection.BundleIdentity identity, String location)
            throws ExtensionFailure {
        for (Bundle other : context.getBundles()) {
            if (other.getLocation().equals(location) || !identity.symbolicName().equals(other.getSymbolicName())) {
                continue;
            }
            String user = isExtension(other) ? "the extension " + fileOf(other.getLocation())
                    .map(p -> p.getFileName().toString()).orElse(other.getLocation())
                    : "the platform bundle " + other.getSymbolicName() + " " + other.getVersion();
            throw new ExtensionFailure(new ExtensionProblem("duplicate", name + " has the symbolic name "
                    + identity.symbolicName() + ", which " + user + " already uses. Give each extension its own "
                    + "Bundle-SymbolicName."));
        }
    }

    private void recordFailure(String name, JarInspection.BundleIdentity identity, ExtensionProblem problem) {
        Bundle running = context.getBundle(location(folder.resolve(name)));
        ExtensionEntry entry = running != null ? entryOf(name, running, problem)
                : ExtensionEntry.failed(name, identity, problem);
        entries.put(name, entry);
        LOG.warn("Extension {}: {}", name, problem.message());
        postFailure(entry, problem);
    }

    /**
     * Records what the framework reports on its own about an extension bundle, such as a restart
     * after a refresh that no longer resolves because an extension it needed was removed. Runs on
     * the framework's event thread, so it must not wait for the deployer's lock.
     */
    void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.ERROR || event.getBundle() == null || event.getThrowable() == null) {
            return;
        }
        long bundleId = event.getBundle().getBundleId();
        for (ExtensionEntry entry : entries.values()) {
            if (entry.bundleId().orElse(-1L) != bundleId) {
                continue;
            }
            Throwable thrown = event.getThrowable();
            boolean unresolved = thrown instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR;
            ExtensionProblem problem = new ExtensionProblem(unresolved ? "unresolved" : "start_failed", entry.file()
                    + (unresolved ? " cannot be resolved: " : " failed to start: ") + describe(thrown));
            entries.computeIfPresent(entry.file(), (file, current) -> current.bundleId().orElse(-1L) == bundleId
                    ? current.withProblem(problem) : current);
            LOG.warn("Extension {}: {}", entry.file(), problem.message());
            postFailure(entry, problem);
        }
    }

    /** Posts a problem found outside a deploy step (a servlet that threw) for the jar of a bundle. */
    void postFailure(long bundleId, ExtensionProblem problem) {
        entries.values().stream().filter(e -> e.bundleId().orElse(-1L) == bundleId).findFirst()
                .ifPresent(entry -> postFailure(entry, problem));
    }

    private void postFailure(ExtensionEntry entry, ExtensionProblem problem) {
        Map<String, Object> properties = eventProperties(entry);
        properties.put(ExtensionEvents.CODE, problem.code());
        properties.put(ExtensionEvents.MESSAGE, problem.message());
        events.post(ExtensionEvents.FAILED, properties);
    }

    private static ExtensionEntry entryOf(String name, Bundle bundle, ExtensionProblem problem) {
        return new ExtensionEntry(name, Optional.ofNullable(bundle.getSymbolicName()),
                Optional.of(bundle.getVersion().toString()), Optional.of(bundle.getBundleId()),
                Optional.ofNullable(problem));
    }

    private static Map<String, Object> eventProperties(ExtensionEntry entry) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(ExtensionEvents.FILE, entry.file());
        entry.symbolicName().ifPresent(s -> properties.put(ExtensionEvents.SYMBOLIC_NAME, s));
        entry.version().ifPresent(v -> properties.put(ExtensionEvents.VERSION, v));
        entry.bundleId().ifPresent(id -> properties.put(ExtensionEvents.BUNDLE_ID, id));
        return properties;
    }

    private static void stopTransiently(Bundle bundle) {
        if (bundle.getState() == Bundle.ACTIVE || bundle.getState() == Bundle.STARTING) {
            try {
                bundle.stop(Bundle.STOP_TRANSIENT);
            } catch (BundleException e) {
                // An activator whose stop() throws is stopped all the same; the update goes on.
                LOG.warn("Stopping {} before its update: {}", bundle.getSymbolicName(), describe(e));
            }
        }
    }

    /** Refreshes the bundles (and whatever is wired to them) and waits until the framework is done. */
    private void refresh(Collection<Bundle> bundles) {
        CountDownLatch done = new CountDownLatch(1);
        try {
            FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
            wiring.refreshBundles(bundles, event -> done.countDown());
            if (!done.await(REFRESH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Refreshing {} did not finish within {} s", bundles, REFRESH_DEADLINE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("Refreshing {} failed: {}", bundles, describe(e));
        }
    }

    /**
     * Copies the jar to a private file and checks that the original did not change meanwhile.
     * Answers null when it did (the watcher reports it again once it settles).
     */
    private Path stage(Path file, FileSignature seen) throws IOException {
        Files.createDirectories(staging);
        Path staged = Files.createTempFile(staging, "extension-", ".jar");
        try {
            Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(staged);
            if (FileSignature.of(file).isEmpty()) {
                return null; // removed while being copied
            }
            throw e;
        }
        if (!FileSignature.of(file).map(seen::equals).orElse(false)) {
            deleteQuietly(staged);
            return null;
        }
        return staged;
    }

    static Optional<Path> fileOf(String location) {
        try {
            URI uri = new URI(location);
            return "file".equals(uri.getScheme()) ? Optional.of(new File(uri).toPath()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
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

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debug("Could not delete {}: {}", file, e.toString());
            }
        }
    }
}
