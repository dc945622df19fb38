package io.heddle.extensions.internal;

import io.heddle.api.extensions.ExtensionEvents;
import io.heddle.api.extensions.ExtensionProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
    private final JarStaging staging;
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
    ExtensionDeployer(
            BundleContext context,
            Path folder,
            Path staging,
            InstalledIndex index,
            Events events,
            Settling settling,
            LongConsumer bundleReplaced,
            Function<Bundle, Optional<ExtensionProblem>> afterStart) {
        this.context = context;
        this.folder = folder;
        this.staging = new JarStaging(staging);
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
        return DeployRules.location(file);
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
                DeployRules.Reconciliation decision = DeployRules.reconcile(folder, location, bundle != null);
                String name = decision.file();
                switch (decision.action()) {
                    case FORGET -> index.remove(location);
                    case LIST -> entries.put(name, entryOf(name, bundle, null));
                    case UNINSTALL -> {
                        LOG.info(
                                "Extension {} was removed while Heddle was stopped: uninstalling {}",
                                name,
                                bundle.getSymbolicName());
                        uninstall(name, bundle);
                        index.remove(location);
                    }
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
                staged = staging.stage(file, seen.get()).orElse(null);
                if (staged == null) {
                    LOG.debug("{} changed while it was copied; it is deployed once it settles", name);
                    return;
                }
                identity = JarInspection.inspect(staged, name);
                String digest = JarStaging.sha256(staged);
                String location = location(file);
                Bundle existing = context.getBundle(location);
                DeployRules.Step step = DeployRules.step(existing != null, index.digest(location), digest);
                if (step == DeployRules.Step.KEEP) {
                    // Same content (a touch, a rewrite of the same bytes, or a restart): keep it running.
                    entries.put(
                            name, entryOf(name, existing, start(existing, name).orElse(null)));
                    return;
                }
                refuseDuplicate(name, identity, location);
                if (step == DeployRules.Step.INSTALL) {
                    install(name, staged, location, digest);
                } else {
                    update(name, staged, existing, digest);
                }
                startUnresolvedOthers(name);
            } catch (ExtensionFailure failure) {
                recordFailure(name, identity, failure.problem());
            } catch (IOException | RuntimeException e) {
                recordFailure(
                        name,
                        identity,
                        new ExtensionProblem("install_failed", name + " could not be deployed: " + describe(e)));
            } finally {
                JarStaging.deleteQuietly(staged);
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
            for (String refused : DeployRules.retryAfterRemoval(List.copyOf(entries.values()))) {
                deploy(folder.resolve(refused), false);
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

    private void install(String name, Path staged, String location, String digest)
            throws ExtensionFailure, IOException {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(staged)) {
            bundle = context.installBundle(location, in);
        } catch (BundleException | IllegalStateException | SecurityException e) {
            throw new ExtensionFailure(
                    new ExtensionProblem("install_failed", name + " was refused by the framework: " + describe(e)));
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
            throw new ExtensionFailure(new ExtensionProblem(
                    "update_failed",
                    name + " could not replace the running " + "version " + before + ": " + describe(e)
                            + ". The running version stays."));
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
        LOG.info(
                "Extension {} uninstalled: {} {}",
                name,
                entry.symbolicName().orElse("?"),
                entry.version().orElse("?"));
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
        } catch (BundleException | IllegalStateException | SecurityException e) {
            return Optional.of(
                    DeployRules.startProblem(name, e, () -> ImportDiagnosis.missingImports(context, bundle)));
        }
    }

    /** A new or changed extension may be what an unresolved one was waiting for. */
    private void startUnresolvedOthers(String changed) {
        for (ExtensionEntry entry : DeployRules.retryAfterChange(List.copyOf(entries.values()), changed)) {
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
        List<DeployRules.InstalledBundle> installed = new ArrayList<>();
        for (Bundle other : context.getBundles()) {
            if (identity.symbolicName().equals(other.getSymbolicName())) { // the only ones the rule looks at
                installed.add(new DeployRules.InstalledBundle(
                        other.getLocation(),
                        other.getSymbolicName(),
                        other.getVersion().toString(),
                        isExtension(other)));
            }
        }
        Optional<ExtensionProblem> refusal = DeployRules.duplicate(name, identity.symbolicName(), location, installed);
        if (refusal.isPresent()) {
            throw new ExtensionFailure(refusal.get());
        }
    }

    private void recordFailure(String name, JarInspection.BundleIdentity identity, ExtensionProblem problem) {
        Bundle running = context.getBundle(location(folder.resolve(name)));
        ExtensionEntry entry =
                running != null ? entryOf(name, running, problem) : ExtensionEntry.failed(name, identity, problem);
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
            ExtensionProblem problem = DeployRules.startProblem(entry.file(), event.getThrowable(), Optional::empty);
            entries.computeIfPresent(
                    entry.file(),
                    (file, current) ->
                            current.bundleId().orElse(-1L) == bundleId ? current.withProblem(problem) : current);
            LOG.warn("Extension {}: {}", entry.file(), problem.message());
            postFailure(entry, problem);
        }
    }

    /** Posts a problem found outside a deploy step (a servlet that threw) for the jar of a bundle. */
    void postFailure(long bundleId, ExtensionProblem problem) {
        entries.values().stream()
                .filter(e -> e.bundleId().orElse(-1L) == bundleId)
                .findFirst()
                .ifPresent(entry -> postFailure(entry, problem));
    }

    private void postFailure(ExtensionEntry entry, ExtensionProblem problem) {
        Map<String, Object> properties = eventProperties(entry);
        properties.put(ExtensionEvents.CODE, problem.code());
        properties.put(ExtensionEvents.MESSAGE, problem.message());
        events.post(ExtensionEvents.FAILED, properties);
    }

    private static ExtensionEntry entryOf(String name, Bundle bundle, ExtensionProblem problem) {
        return new ExtensionEntry(
                name,
                Optional.ofNullable(bundle.getSymbolicName()),
                Optional.of(bundle.getVersion().toString()),
                Optional.of(bundle.getBundleId()),
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
            FrameworkWiring wiring =
                    context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
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

    /** The exception's message and its root cause, in one line. */
    static String describe(Throwable e) {
        return DeployRules.describe(e);
    }
}
