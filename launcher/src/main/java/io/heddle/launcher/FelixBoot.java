package io.heddle.launcher;

import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.framework.Felix;
import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * One run of the OSGi framework: Felix with the distribution's {@code bundles/} installed (all
 * of them, by reference, so nothing is copied) and started (logging first), a bundle cache of
 * its own at {@code $HEDDLE_HOME/cache/<serverId>/} that {@link #close()} removes again.
 *
 * <p>The API packages ({@code io.heddle.api.*}) are exported by the system bundle from the
 * launcher's own class path, so the launcher and the bundles share one copy of
 * {@link ControlPlaneLifecycle}, {@code ServerOptions} and {@code ServerHandle}.
 */
final class FelixBoot implements AutoCloseable {

    static final Duration STOP_DEADLINE = Duration.ofSeconds(15);

    private final Framework framework;
    private final Path cacheDir;
    private final FrameworkLog log;
    private volatile ServiceTracker<Object, Object> lifecycleTracker;
    private final List<ServiceTracker<Object, Object>> keptTrackers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final StrayOutput stray;

    private FelixBoot(Framework framework, Path cacheDir, FrameworkLog log, StrayOutput stray) {
        this.framework = framework;
        this.cacheDir = cacheDir;
        this.log = log;
        this.stray = stray;
    }

    /** The framework property that carries {@code --extensions-dir} to the extensions bundle. */
    static final String EXTENSIONS_DIR_PROPERTY = "heddle.extensions.dir";

    /**
     * Creates, initialises and starts the framework, then installs and starts the platform.
     *
     * @param extensionsDir the hot-deploy folder of {@code --extensions-dir}; empty leaves the choice
     *                      to the {@code io.heddle.extensions} configuration and its default
     * @throws CommandFailure (exit 1) when the distribution is incomplete or a bundle does not start
     */
    static FelixBoot start(
            Distribution dist, HomeFolder home, String serverId, Optional<Path> extensionsDir, Terminal terminal) {
        List<Path> jars = platformJars(dist);
        jars.addAll(optionalJars(dist, home));
        Path cacheDir = home.cacheFor(serverId);
        Path etc = home.etc();
        WriteFailures.Places places = new WriteFailures.Places(home.root(), null, null);
        try {
            Files.createDirectories(etc);
            // this run's own cache folder too: Felix would only say "Unable to create cache directory"
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    WriteFailures.describe(e, places, WriteFailures.Area.HOME)
                            .orElse("Cannot create " + e.getMessage() + " in " + home.root() + " ("
                                    + WriteFailures.osReason(e)
                                    + "). Make HEDDLE_HOME writable, or point HEDDLE_HOME at a"
                                    + " folder you own."),
                    e);
        }
        FrameworkLog log = new FrameworkLog(terminal);
        Map<String, Object> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, cacheDir.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports());
        props.put("heddle.home", home.root().toString());
        extensionsDir.ifPresent(dir -> props.put(EXTENSIONS_DIR_PROPERTY, dir.toString()));
        // Only the lifecycle's own HTTP instances start: no default Jetty on 8080, ever.
        props.put("org.apache.felix.http.require.config", "true");
        props.put("felix.fileinstall.dir", etc.toString());
        props.put("felix.fileinstall.poll", "1000");
        props.put("felix.fileinstall.noInitialDelay", "true");
        props.put("felix.fileinstall.filter", ".*\\.cfg");
        // etc/ is the user's input: FileInstall must never write a configuration back into it
        // (its default would rewrite, or empty, a file while configurations change at shutdown).
        props.put("felix.fileinstall.enableConfigSave", "false");
        props.put("felix.fileinstall.log.level", "1");
        // Event Admin: no blacklisting of slow handlers (a loaded machine is not a broken handler), and its
        // fallback logger (System.out) only for errors.
        props.put("org.apache.felix.eventadmin.Timeout", "0");
        props.put("org.apache.felix.eventadmin.LogLevel", "1");
        // A mostly idle local server: few threads (each costs stack and allocator arenas).
        props.put("org.apache.felix.eventadmin.ThreadPoolSize", "2");
        props.put("felix.resolver.parallelism", "1");
        // No JVM-wide URL handler factory: nothing here needs bundle: URLs outside Felix, and it costs start time.
        props.put("felix.service.urlhandlers", "false");
        props.put("felix.log.logger", log);
        props.put("felix.log.level", terminal.debug() ? "4" : "1");

        // From here until the framework stops, nothing from inside it may reach the terminal.
        StrayOutput stray = StrayOutput.install(terminal);
        Framework framework;
        try {
            framework = new Felix(props);
        } catch (RuntimeException e) {
            stray.restore();
            throw e;
        }
        FelixBoot boot = new FelixBoot(framework, cacheDir, log, stray);
        try {
            framework.init();
            framework.start();
            BundleContext context = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (Path jar : jars) {
                bundles.add(context.installBundle("reference:" + jar.toUri()));
            }
            bundles.sort(Comparator.comparingInt(FelixBoot::startRank));
            for (Bundle bundle : bundles) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            return boot;
        } catch (BundleException | RuntimeException e) {
            boot.close();
            // A full or unwritable cache is the usual cause: name it; a broken distribution otherwise.
            throw CommandFailure.runtime(
                    WriteFailures.describe(e, places, WriteFailures.Area.CACHE)
                            .orElseGet(
                                    () -> "The OSGi framework did not start: " + e.getMessage()
                                            + ". Rebuild the distribution (mvn package), or run with HEDDLE_DEBUG=1 for details."),
                    e);
        }
    }

    /** The logging bundle's symbolic name: started first, stopped last. */
    static final String LOGGING_BUNDLE = "io.heddle.logging";

    /** Logging first (so every later bundle logs to the file), then configuration, then the rest. */
    static int startRank(String symbolicName) {
        if (LOGGING_BUNDLE.equals(symbolicName)) {
            return 0;
        }
        if ("org.apache.felix.configadmin".equals(symbolicName)) {
            return 1;
        }
        return 2;
    }

    private static int startRank(Bundle bundle) {
        return startRank(bundle.getSymbolicName());
    }

    /**
     * Sorts the logging bundle's jar first, then the rest by name: installed first, it has the lowest
     * bundle id, and the framework stops bundles in the reverse order of their ids, so it stops
     * last and the other bundles' lines at shutdown still reach the file.
     */
    static void sortForInstall(List<Path> jars) {
        jars.sort(Comparator.comparingInt(
                        (Path jar) -> jar.getFileName().toString().startsWith("logging-") ? 0 : 1)
                .thenComparing(jar -> jar.getFileName().toString()));
    }

    private static List<Path> platformJars(Distribution dist) {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dist.bundles(), "*.jar")) {
            entries.forEach(jars::add);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "The distribution at " + dist.root() + " has no readable bundles/ folder (" + e.getMessage()
                            + "). Rebuild it with: mvn package",
                    e);
        }
        if (jars.isEmpty()) {
            throw CommandFailure.runtime(
                    "The distribution at " + dist.root() + " has no bundles in bundles/. Rebuild it with: mvn package");
        }
        sortForInstall(jars);
        return jars;
    }

    /** The configuration file that turns on the PostgreSQL task store (and installs its bundles). */
    static final String POSTGRES_STORE_CFG = "io.heddle.heartbeat.store.postgres.cfg";

    /**
     * Bundles installed only when configured, so that a server without them starts no slower:
     * {@code bundles/postgres/} (the PostgreSQL task store, its JDBC driver and pool) while
     * {@code etc/io.heddle.heartbeat.store.postgres.cfg} exists.
     */
    private static List<Path> optionalJars(Distribution dist, HomeFolder home) {
        List<Path> jars = new ArrayList<>();
        if (Files.isRegularFile(home.etc().resolve(POSTGRES_STORE_CFG))) {
            Path dir = dist.bundles().resolve("postgres");
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
                entries.forEach(jars::add);
            } catch (IOException e) {
                throw CommandFailure.runtime(
                        "etc/" + POSTGRES_STORE_CFG + " asks for the PostgreSQL task store, but"
                                + " the distribution at " + dist.root() + " has no readable bundles/postgres/ folder ("
                                + e.getMessage() + "). Rebuild it with: mvn package",
                        e);
            }
            jars.sort(Comparator.comparing(p -> p.getFileName().toString()));
        }
        return jars;
    }

    /** The Export-Package header of the API jar on our class path, for the system bundle to export. */
    static String apiExports() {
        try {
            Path jar = Path.of(ControlPlaneLifecycle.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Manifest manifest;
            if (Files.isDirectory(jar)) {
                try (var in = Files.newInputStream(jar.resolve("META-INF/MANIFEST.MF"))) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile file = new JarFile(jar.toFile())) {
                    manifest = file.getManifest();
                }
            }
            String exports =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null || exports.isBlank()) {
                throw new IOException("no Export-Package header in " + jar);
            }
            return exports;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            throw CommandFailure.runtime(
                    "The launcher's API jar is unreadable (" + e.getMessage()
                            + "). Rebuild the distribution with: mvn package",
                    e);
        }
    }

    /**
     * Waits for the lifecycle service.
     *
     * @throws CommandFailure (exit 1) when it does not appear in time
     */
    ControlPlaneLifecycle awaitLifecycle(Duration deadline, ShutdownRequests shutdown) {
        ServiceTracker<Object, Object> tracker =
                new ServiceTracker<>(framework.getBundleContext(), ControlPlaneLifecycle.class.getName(), null);
        tracker.open();
        try {
            long end = System.nanoTime() + deadline.toNanos();
            Object service = null;
            while (service == null && !shutdown.isRequested() && System.nanoTime() < end) {
                service = tracker.waitForService(100);
            }
            if (service == null) {
                if (shutdown.isRequested()) {
                    return null;
                }
                String cause = log.lastError();
                throw CommandFailure.runtime("The control-plane service did not start within " + deadline.toSeconds()
                        + " s" + (cause == null ? "" : " (" + cause + ")")
                        + ". Run with HEDDLE_DEBUG=1 for details, or rebuild the distribution with: mvn package");
            }
            if (!(service instanceof ControlPlaneLifecycle)) {
                throw CommandFailure.runtime("The control-plane service comes from another copy of the Heddle API than"
                        + " the launcher's. Rebuild the distribution with: mvn package");
            }
            return (ControlPlaneLifecycle) service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.runtime("Interrupted while waiting for the control-plane service. Try again.", e);
        } finally {
            // Keep the tracker (and so our use of the service) open until the framework stops:
            // the lifecycle is a delayed component, and its last user going away would close every server.
            lifecycleTracker = tracker;
        }
    }

    /**
     * Waits for a service of the shared API (exported by the system bundle, so the launcher and the
     * bundles see one class); the tracker stays open until the framework stops.
     *
     * @return the service; null when a stop was requested first
     * @throws CommandFailure (exit 1) when it does not appear in time
     */
    <T> T awaitService(Class<T> type, String what, Duration deadline, ShutdownRequests shutdown) {
        Object service = awaitServiceObject(type.getName(), what, deadline, shutdown);
        if (service == null) {
            return null;
        }
        if (!type.isInstance(service)) {
            throw CommandFailure.runtime("The " + what + " comes from another copy of the Heddle API than"
                    + " the launcher's. Rebuild the distribution with: mvn package");
        }
        return type.cast(service);
    }

    private Object awaitServiceObject(String className, String what, Duration deadline, ShutdownRequests shutdown) {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(framework.getBundleContext(), className, null);
        tracker.open();
        keptTrackers.add(tracker);
        try {
            long end = System.nanoTime() + deadline.toNanos();
            Object service = null;
            while (service == null && !shutdown.isRequested() && System.nanoTime() < end) {
                service = tracker.waitForService(100);
            }
            if (service == null && !shutdown.isRequested()) {
                String cause = log.lastError();
                throw CommandFailure.runtime("The " + what + " did not start within " + deadline.toSeconds()
                        + " s" + (cause == null ? "" : " (" + cause + ")")
                        + ". Run with HEDDLE_DEBUG=1 for details, or rebuild the distribution with: mvn package");
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.runtime("Interrupted while waiting for the " + what + ". Try again.", e);
        }
    }

    /**
     * Creates or replaces the configuration {@code pid} through Configuration Admin. The
     * configuration lives in this run's bundle cache only (never in {@code etc/}), so it ends with
     * the run. Configuration Admin's API is not on the launcher's class path: it is called through
     * the interfaces its own bundle exports.
     *
     * @return false when a stop was requested first
     * @throws CommandFailure (exit 1) when Configuration Admin is missing or refuses
     */
    boolean configure(String pid, Map<String, Object> properties, Duration deadline, ShutdownRequests shutdown) {
        String adminClass = "org.osgi.service.cm.ConfigurationAdmin";
        Object admin = awaitServiceObject(adminClass, "configuration service", deadline, shutdown);
        if (admin == null) {
            return false;
        }
        try {
            ClassLoader loader = admin.getClass().getClassLoader();
            Class<?> adminType = Class.forName(adminClass, false, loader);
            Class<?> configurationType = Class.forName("org.osgi.service.cm.Configuration", false, loader);
            Object configuration = adminType
                    .getMethod("getConfiguration", String.class, String.class)
                    .invoke(admin, pid, null);
            configurationType
                    .getMethod("update", java.util.Dictionary.class)
                    .invoke(configuration, new java.util.Hashtable<>(properties));
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ? e.getCause() : e;
            throw CommandFailure.runtime(
                    "Could not write the configuration " + pid + " (" + cause
                            + "). Run with HEDDLE_DEBUG=1 for details, or rebuild the distribution with: mvn package",
                    cause);
        }
    }

    /** Stops the framework, waiting at most {@link #STOP_DEADLINE}; false when it did not stop in time. */
    /**
     * The end of every run: stop the framework, then remove this run's bundle cache; tells the
     * user what went wrong. Answers false when the framework did not stop in time (exit 1).
     */
    boolean shutDown(Terminal terminal, Path logFile) {
        boolean stopped = stopFramework();
        if (!stopped) {
            terminal.problem("heddle: the OSGi framework did not stop within " + STOP_DEADLINE.toSeconds()
                    + " s; exiting anyway. See " + logFile + " for what hung.");
        }
        if (!deleteCache()) {
            terminal.warning("could not remove the bundle cache " + cacheDir() + "; the next start removes it.");
        }
        return stopped;
    }

    boolean stopFramework() {
        List<ServiceTracker<Object, Object>> trackers = new ArrayList<>(keptTrackers);
        if (lifecycleTracker != null) {
            trackers.add(lifecycleTracker);
        }
        for (ServiceTracker<Object, Object> tracker : trackers) {
            try {
                tracker.close();
            } catch (RuntimeException stoppedAlready) {
                // the framework is already stopping
            }
        }
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_DEADLINE.toMillis());
            return event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
        } catch (BundleException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            stray.restore();
        }
    }

    /** Build time only: see {@link CdsTraining#linkLoadedBundleClasses}. */
    int linkForArchive(Path classLoadLog) {
        return CdsTraining.linkLoadedBundleClasses(framework.getBundleContext(), classLoadLog);
    }

    /** Removes this run's bundle cache; false when something was left. */
    boolean deleteCache() {
        return FileTrees.deleteQuietly(cacheDir);
    }

    /** Stops the framework and removes the cache (for a start that failed half-way). */
    @Override
    public void close() {
        stopFramework();
        deleteCache();
    }

    Path cacheDir() {
        return cacheDir;
    }

    /**
     * The framework's own messages (resolver errors and the like). They never reach the
     * terminal unless {@code HEDDLE_DEBUG=1}; the last error is kept for the failure message.
     */
    static final class FrameworkLog extends Logger {
        private final Terminal terminal;
        private volatile String lastError;

        FrameworkLog(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
            if (level == LOG_ERROR) {
                lastError = (bundle == null ? "" : bundle.getSymbolicName() + ": ")
                        + msg
                        + (throwable == null ? "" : ": " + throwable.getMessage());
            }
            if (terminal.debug()) {
                terminal.problem("heddle: framework: " + (bundle == null ? "" : bundle.getSymbolicName() + ": ") + msg);
                terminal.trace(throwable);
            }
        }

        String lastError() {
            return lastError;
        }
    }
}
