package io.heddle.lifecycle.internal;

import io.heddle.api.heartbeat.HeartbeatSchedulerHost;
import io.heddle.api.heartbeat.LiveRecordHeartbeats;
import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerAssets;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.lifecycle.ServerStartException.Reason;
import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ReleaseResult;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.web.WebAssets;
import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceCatalogException;
import io.heddle.storage.internal.AtomicFileWriter;
import io.heddle.storage.internal.ExclusiveFileLock;
import io.heddle.storage.internal.HeddleHome;
import io.heddle.storage.internal.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ControlPlaneLifecycle} service. A start runs, in order: validate the assets (the
 * chosen folder, or the web bundle, must hold {@code index.html});
 * write the token; bind a Felix HTTP instance of its own and read the real port; register
 * the servlet context (access rules + server facts) targeted at that instance; register the
 * workspaces; claim (or take over) the live record; start the live-record heartbeat and the
 * scheduler host. Each step records its undo; a failure undoes the steps done so far in
 * reverse and throws one {@link ServerStartException}.
 */
@Component(service = ControlPlaneLifecycle.class)
public final class ControlPlaneLifecycleComponent implements ControlPlaneLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneLifecycleComponent.class);
    private static final Duration BIND_DEADLINE = Duration.ofSeconds(10);
    private static final Duration UNBIND_DEADLINE = Duration.ofSeconds(10);
    private static final Duration ENDPOINT_DEADLINE = Duration.ofSeconds(5);
    /** How long a start asks its own context for the first request that installs the JSON refusals. */
    private static final Duration TOUCH_DEADLINE = Duration.ofSeconds(3);
    /** How long a start that serves the bundled UI waits for the web bundle to come up. */
    static final Duration WEB_ASSETS_DEADLINE = Duration.ofSeconds(5);
    /** In {@code $HEDDLE_HOME/run/}: held while one start binds a fixed port. */
    static final String BIND_LOCK_FILE = HeddleHome.BIND_LOCK_FILE;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final DaemonRegistry registry;
    private final WorkspaceCatalog catalog;
    private final LiveRecordHeartbeats heartbeats;
    private final Clock clock = Clock.systemUTC();
    /** Requests refused for bad input, logged at most once a minute per cause (shared by every server). */
    private final RefusalLog refusals = new RefusalLog(clock, LoggerFactory.getLogger(RefusalLog.class)::warn);

    private final Set<LifecycleServerHandle> open = ConcurrentHashMap.newKeySet();

    /** The web bundle's UI: checked before a server that serves it binds. */
    private WebAssets webAssets;

    private final Object webAssetsMonitor = new Object();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindSchedulerHost")
    private volatile HeartbeatSchedulerHost schedulerHost;

    @Activate
    public ControlPlaneLifecycleComponent(
            BundleContext context,
            @Reference ConfigurationAdmin configAdmin,
            @Reference DaemonRegistry registry,
            @Reference WorkspaceCatalog catalog,
            @Reference LiveRecordHeartbeats heartbeats) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.registry = registry;
        this.catalog = catalog;
        this.heartbeats = heartbeats;
    }

    void unbindSchedulerHost(HeartbeatSchedulerHost host) {
        for (LifecycleServerHandle handle : open) {
            handle.schedulerHostGone();
        }
    }

    /** The lifecycle going away (bundle stopped or updated) closes every server it started. */
    @Deactivate
    void deactivate() {
        for (LifecycleServerHandle handle : new ArrayList<>(open)) {
            try {
                handle.close();
            } catch (RuntimeException e) {
                LOG.warn("Closing {} while the lifecycle stops failed", handle.serverId(), e);
            }
        }
    }

    @Override
    public ServerHandle start(ServerOptions options) throws ServerStartException {
        long startNanos = System.nanoTime();
        Path workspaceRoot = options.workspaceRoot().toAbsolutePath().normalize();
        Path stateRoot = options.stateRoot().toAbsolutePath().normalize();
        ServerAssets assets = options.assets()
                .directory()
                .map(p -> ServerAssets.directory(p.toAbsolutePath().normalize()))
                .orElse(options.assets());
        validateAssets(assets);

        long pid = ProcessHandle.current().pid();
        Instant startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String serverId = options.serverId()
                .filter(s -> !s.isBlank())
                .orElse(options.mode().wireName() + "-" + pid + "-" + startedAt.toEpochMilli());
        DaemonRegistry serverRegistry =
                options.registryPath().map(registry::forFile).orElse(registry);
        HeddleHome home = HeddleHome.ofRegistryFile(serverRegistry.path());
        Path tokenFile = home.tokenFile(serverId);
        String token = newToken();
        Instant processStart = ProcessHandle.current().info().startInstant().orElse(null);

        HttpEndpoint http = new HttpEndpoint(context, configAdmin, "heddle-" + safeFileName(serverId), options.host());
        List<Exception> undoFailures = new ArrayList<>();
        LifecycleServerHandle[] handleRef = new LifecycleServerHandle[1];
        // A placeholder record until the port is known; replaced below.
        try {
            writeToken(tokenFile, token);
            int port;
            // Two processes starting on one port at once would both pass the "can bind" check, and the
            // loser's Jetty would fail silently: it would learn "port in use" only at the bind deadline.
            // One bind at a time per HEDDLE_HOME makes the loser see the winner's listener at once.
            try (ExclusiveFileLock bindLock =
                    options.port() == 0 ? null : ExclusiveFileLock.acquire(home.bindLockFile(), BIND_DEADLINE)) {
                port = http.bind(options.port(), BIND_DEADLINE);
            } catch (HttpEndpoint.BindFailure e) {
                undoPartial(http, tokenFile);
                throw new ServerStartException(
                        e.portInUse ? Reason.PORT_IN_USE : Reason.HTTP_UNAVAILABLE, e.getMessage(), e);
            }
            ServerRecord record = new ServerRecord(
                    serverId, options.mode(), options.host(), port, pid, processStart, startedAt, startedAt);
            LifecycleServerHandle handle = new LifecycleServerHandle(
                    record,
                    serverRegistry.path(),
                    workspaceRoot,
                    stateRoot,
                    assets,
                    token,
                    tokenFile,
                    serverRegistry,
                    catalog,
                    () -> schedulerHost,
                    open::remove);
            handleRef[0] = handle;
            handle.pushUndo("delete the token file", () -> Files.deleteIfExists(tokenFile));
            handle.pushUndo("close the HTTP listener", () -> http.close(UNBIND_DEADLINE));

            ServerAccessContext accessContext =
                    new ServerAccessContext(new AccessRules(options.host(), port, token), handle, refusals);
            ServiceRegistration<ServletContextHelper> contextRegistration = registerContext(http, accessContext);
            handle.pushUndo("remove the servlet context", contextRegistration::unregister);
            if (!http.awaitServlets(ServerHandle.CONTEXT_NAME, ENDPOINT_DEADLINE)) {
                LOG.warn(
                        "Server {}: no HTTP endpoint registered within {} s; is the io.heddle.http bundle active?",
                        serverId,
                        ENDPOINT_DEADLINE.toSeconds());
            } else {
                // the first request through the context points Jetty's own refusals at the JSON error handler;
                // Jetty may route to the new context a moment after the runtime lists it: ask until it has
                long touchEnd = System.nanoTime() + TOUCH_DEADLINE.toNanos();
                do {
                    http.touch(port);
                } while (!accessContext.errorHandlerInstalled()
                        && System.nanoTime() < touchEnd
                        && pauseBeforeTouchingAgain());
                if (!accessContext.errorHandlerInstalled()) {
                    LOG.warn(
                            "Server {}: Jetty's own refusals answer in its own shape until the first request"
                                    + " reaches the heddle context",
                            serverId);
                }
            }

            CatalogSnapshot workspaces = catalog.ensure(workspaceRoot, stateRoot);
            serverRegistry.registerWorkspaces(workspaces.workspaces());

            Optional<ServerRecord> tookOverFrom = ownRecord(serverRegistry, record, options);
            // On close the record goes back to the server this one took it from, if that one still runs.
            handle.pushUndo("hand the live record back", () -> {
                // A server that has closed removed its token file (its process may run on, e.g. in tests).
                ReleaseResult released = serverRegistry.release(
                        serverId, tookOverFrom.filter(r -> Files.exists(home.tokenFile(r.serverId()))));
                if (released.outcome() == ReleaseResult.Outcome.HANDED_BACK) {
                    LOG.info(
                            "Server {} handed the live record back to {}",
                            serverId,
                            released.currentOwner().map(ServerRecord::serverId).orElse("?"));
                }
            });

            handle.heartbeatStarted(heartbeats.start(handle, true));
            handle.syncSchedulerHost();
            open.add(handle);
            LOG.info(
                    "Server {} ({}) listening at {} for workspace {}; start took {} ms",
                    serverId,
                    options.mode().wireName(),
                    record.endpointUrl(),
                    workspaceRoot,
                    (System.nanoTime() - startNanos) / 1_000_000);
            if (!AccessRules.isLoopback(options.host())) {
                LOG.warn(
                        "Server {} is bound to {}, which is not a loopback address: every request needs the token",
                        serverId,
                        options.host());
            }
            return handle;
        } catch (ServerStartException e) {
            undoStarted(handleRef[0], undoFailures, e);
            throw e;
        } catch (RegistryException | WorkspaceCatalogException e) {
            ServerStartException failure = new ServerStartException(Reason.REGISTRY_UNAVAILABLE, e.getMessage(), e);
            undoStarted(handleRef[0], undoFailures, failure);
            if (handleRef[0] == null) {
                undoPartial(http, tokenFile);
            }
            throw failure;
        } catch (IOException | RuntimeException e) {
            ServerStartException failure =
                    new ServerStartException(Reason.OTHER, "The server did not start: " + e.getMessage(), e);
            undoStarted(handleRef[0], undoFailures, failure);
            if (handleRef[0] == null) {
                undoPartial(http, tokenFile);
            }
            throw failure;
        }
    }

    /**
     * Makes {@code record} the live record, per the ownership policy; answers the fresh record of
     * another server it replaced (to hand back on close), if any. A daemon started with
     * {@code CLAIM} takes the record over from a fresh {@code embedded-chat} server (the chat keeps
     * serving its terminal, the daemon is the one live server), but never from another daemon.
     */
    private static Optional<ServerRecord> ownRecord(DaemonRegistry registry, ServerRecord record, ServerOptions options)
            throws ServerStartException {
        String serverId = record.serverId();
        if (options.ownership() == OwnershipPolicy.TAKE_OVER) {
            Optional<ServerRecord> replaced =
                    registry.takeOver(record).filter(r -> !r.serverId().equals(serverId));
            replaced.ifPresent(r -> LOG.info("Server {} took the live record over from {}", serverId, r.serverId()));
            return replaced.filter(r -> registry.judge(r).fresh());
        }
        ClaimResult claim = registry.claim(record);
        if (claim.isClaimed()) {
            return Optional.empty();
        }
        ServerRecord live = claim.existing().orElseThrow();
        if (options.mode() == ServerMode.DAEMON && live.mode() == ServerMode.EMBEDDED_CHAT) {
            Optional<ServerRecord> replaced =
                    registry.takeOver(record).filter(r -> !r.serverId().equals(serverId));
            Optional<ServerRecord> fresh =
                    replaced.filter(r -> registry.judge(r).fresh());
            if (fresh.isPresent() && fresh.get().mode() != ServerMode.EMBEDDED_CHAT) {
                // Another daemon claimed the record between the two steps: give it back, and attach to it.
                registry.release(serverId, fresh);
                throw ownerConflict(fresh.get());
            }
            LOG.info("Server {} took the live record over from the embedded-chat server {}", serverId, live.serverId());
            return fresh;
        }
        throw ownerConflict(live);
    }

    private static ServerStartException ownerConflict(ServerRecord live) {
        return new ServerStartException(
                Reason.OWNER_CONFLICT,
                "Heddle control-plane server already running at " + live.endpointUrl() + " (serverId=" + live.serverId()
                        + ")",
                null,
                live);
    }

    private void undoStarted(LifecycleServerHandle handle, List<Exception> failures, Exception cause) {
        if (handle == null) {
            return;
        }
        handle.markAbandoned();
        handle.runUndo(failures);
        failures.forEach(cause::addSuppressed);
    }

    private static void undoPartial(HttpEndpoint http, Path tokenFile) {
        try {
            http.close(UNBIND_DEADLINE);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Undoing a failed bind: {}", e.toString());
        }
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            LOG.warn("Undoing a failed start: could not delete {}: {}", tokenFile, e.toString());
        }
    }

    /** Before anything binds: the chosen UI must have an {@code index.html}. */
    private void validateAssets(ServerAssets assets) throws ServerStartException {
        switch (assets.kind()) {
            case DIRECTORY:
                Path dir = assets.directory().orElseThrow();
                if (!Files.isRegularFile(dir.resolve(WebAssets.INDEX))) {
                    throw new ServerStartException(
                            Reason.ASSETS_MISSING,
                            "Web assets not found at " + dir
                                    + " (no index.html). Pass --assets-dir with a folder that holds index.html, or --no-assets.",
                            null);
                }
                break;
            case BUNDLED:
                WebAssets bundled = awaitWebAssets();
                if (bundled == null) {
                    throw new ServerStartException(
                            Reason.ASSETS_MISSING,
                            "The web UI bundle (io.heddle.web) is not"
                                    + " running, so there is no UI to serve. Install and start it, or pass --no-assets"
                                    + " (API only) or --assets-dir DIR.",
                            null);
                }
                if (!bundled.paths().contains(WebAssets.INDEX)) {
                    throw new ServerStartException(
                            Reason.ASSETS_MISSING,
                            "The web UI bundle (io.heddle.web) holds"
                                    + " no index.html. Rebuild it, or pass --no-assets (API only) or --assets-dir DIR.",
                            null);
                }
                break;
            case NONE:
            default:
                break;
        }
    }

    /**
     * The web bundle's service; a start that races the bundle's own start waits for it a moment.
     * Null when it does not appear within {@link #WEB_ASSETS_DEADLINE}.
     */
    private WebAssets awaitWebAssets() throws ServerStartException {
        long end = System.nanoTime() + WEB_ASSETS_DEADLINE.toNanos();
        synchronized (webAssetsMonitor) {
            while (webAssets == null) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    webAssetsMonitor.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ServerStartException(Reason.OTHER, "Interrupted while waiting for the web UI bundle.", e);
                }
            }
            return webAssets;
        }
    }

    @Reference(
            service = WebAssets.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindWebAssets")
    void bindWebAssets(WebAssets assets) {
        synchronized (webAssetsMonitor) {
            webAssets = assets;
            webAssetsMonitor.notifyAll();
        }
    }

    void unbindWebAssets(WebAssets assets) {
        synchronized (webAssetsMonitor) {
            if (webAssets == assets) {
                webAssets = null;
            }
        }
    }

    /** A short pause between two touches; false when interrupted (then no more touching). */
    private static boolean pauseBeforeTouchingAgain() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(25).toNanos());
        return !Thread.currentThread().isInterrupted();
    }

    private ServiceRegistration<ServletContextHelper> registerContext(HttpEndpoint http, ServerAccessContext access) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_NAME, ServerHandle.CONTEXT_NAME);
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_PATH, "/");
        props.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_TARGET, http.targetFilter());
        return context.registerService(ServletContextHelper.class, access, props);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeToken(Path tokenFile, String token) throws IOException {
        PrivateFiles.createPrivateDirectories(tokenFile.getParent());
        AtomicFileWriter.write(tokenFile, (token + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Server ids become file and instance names: {@link HeddleHome#safeFileName}. */
    static String safeFileName(String serverId) {
        return HeddleHome.safeFileName(serverId);
    }
}
