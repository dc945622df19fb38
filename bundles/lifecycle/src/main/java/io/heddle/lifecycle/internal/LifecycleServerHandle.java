package io.heddle.lifecycle.internal;

import io.heddle.api.heartbeat.HeartbeatSchedulerHost;
import io.heddle.api.heartbeat.HeartbeatTarget;
import io.heddle.api.heartbeat.LiveRecordHeartbeat;
import io.heddle.api.lifecycle.ServerAssets;
import io.heddle.api.lifecycle.ServerCloseException;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server. It holds the undo steps of its start in order; {@link #close()} runs them
 * in reverse exactly once, whichever thread calls it first, and every other caller waits for
 * that one close to finish.
 */
final class LifecycleServerHandle implements ServerHandle, HeartbeatTarget {

    private static final Logger LOG = LoggerFactory.getLogger(LifecycleServerHandle.class);

    /** One undo step of the start, named for the close report. */
    interface Step {
        void undo() throws Exception;
    }

    private final ServerRecord record;
    private final Path registryPath;
    private final Path workspaceRoot;
    private final Path stateRoot;
    private final ServerAssets assets;
    private final String token;
    private final Path tokenFile;
    private final DaemonRegistry registry;
    private final WorkspaceCatalog catalog;
    private final Supplier<HeartbeatSchedulerHost> schedulerHost;
    private final Consumer<LifecycleServerHandle> onClosed;

    private final Deque<NamedStep> undo = new ArrayDeque<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile LiveRecordHeartbeat heartbeat;
    private volatile boolean initiallyOwner = true;
    private volatile HeartbeatSchedulerHost.Session schedulerSession;
    private volatile Runnable shutdownListener;

    LifecycleServerHandle(
            ServerRecord record,
            Path registryPath,
            Path workspaceRoot,
            Path stateRoot,
            ServerAssets assets,
            String token,
            Path tokenFile,
            DaemonRegistry registry,
            WorkspaceCatalog catalog,
            Supplier<HeartbeatSchedulerHost> schedulerHost,
            Consumer<LifecycleServerHandle> onClosed) {
        this.record = record;
        this.registryPath = registryPath;
        this.workspaceRoot = workspaceRoot;
        this.stateRoot = stateRoot;
        this.assets = assets;
        this.token = token;
        this.tokenFile = tokenFile;
        this.registry = registry;
        this.catalog = catalog;
        this.schedulerHost = schedulerHost;
        this.onClosed = onClosed;
    }

    private record NamedStep(String name, Step step) {}

    /** Records an undo step of the start; close runs them newest first. */
    void pushUndo(String name, Step step) {
        synchronized (undo) {
            undo.push(new NamedStep(name, step));
        }
    }

    void heartbeatStarted(LiveRecordHeartbeat started) {
        this.heartbeat = started;
    }

    /** Starts the scheduler host session when a host is present and none runs yet. */
    void syncSchedulerHost() {
        if (closing.get()) {
            return;
        }
        HeartbeatSchedulerHost host = schedulerHost.get();
        HeartbeatSchedulerHost.Session session = schedulerSession;
        try {
            if (session == null && host != null) {
                schedulerSession = host.start(record.serverId(), workspaceRoot, stateRoot);
            } else if (session != null) {
                session.sync();
            }
        } catch (RuntimeException e) {
            LOG.warn("Heartbeat scheduler host of {} failed to sync", record.serverId(), e);
        }
    }

    /** Called by the lifecycle when the scheduler host service goes away. */
    void schedulerHostGone() {
        stopScheduler();
    }

    private void stopScheduler() {
        HeartbeatSchedulerHost.Session session = schedulerSession;
        schedulerSession = null;
        if (session != null) {
            session.stop();
        }
    }

    // --- HeartbeatTarget ---

    @Override
    public DaemonRegistry registry() {
        return registry;
    }

    @Override
    public ServerRecord record() {
        return record;
    }

    @Override
    public Collection<WorkspaceDescriptor> workspaces() {
        return catalog.read(stateRoot).workspaces();
    }

    @Override
    public void afterTick() {
        syncSchedulerHost();
    }

    @Override
    public void ownershipChanged(boolean owner, Optional<ServerRecord> currentOwner) {
        // the heartbeat logs and posts the event; the handle answers owner() from the heartbeat
    }

    // --- ServerHandle ---

    @Override
    public String serverId() {
        return record.serverId();
    }

    @Override
    public ServerMode mode() {
        return record.mode();
    }

    @Override
    public String host() {
        return record.host();
    }

    @Override
    public int port() {
        return record.port();
    }

    @Override
    public String endpointUrl() {
        return record.endpointUrl();
    }

    @Override
    public Path registryPath() {
        return registryPath;
    }

    @Override
    public Path workspaceRoot() {
        return workspaceRoot;
    }

    @Override
    public Path stateRoot() {
        return stateRoot;
    }

    @Override
    public Optional<Path> assetsDir() {
        return assets.directory();
    }

    @Override
    public ServerAssets assets() {
        return assets;
    }

    @Override
    public Instant startedAt() {
        return record.startedAt();
    }

    @Override
    public long pid() {
        return record.pid();
    }

    @Override
    public boolean owner() {
        LiveRecordHeartbeat hb = heartbeat;
        return !closing.get() && (hb == null ? initiallyOwner : hb.owner());
    }

    @Override
    public java.util.Optional<io.heddle.api.registry.LiveServer> liveRecord() {
        LiveRecordHeartbeat hb = heartbeat;
        java.util.Optional<ServerRecord> seen = hb == null ? java.util.Optional.empty() : hb.lastRecord();
        if (seen.isEmpty() && initiallyOwner) {
            seen = java.util.Optional.of(record); // claimed at start, no tick yet
        }
        if (seen.isEmpty()) {
            return java.util.Optional.empty();
        }
        ServerRecord current = seen.get();
        java.time.Duration age = java.time.Duration.between(current.lastSeenAt(), java.time.Instant.now());
        if (age.isNegative()) {
            age = java.time.Duration.ZERO;
        }
        java.time.Duration staleAfter = registry.staleAfter();
        boolean fresh = age.compareTo(staleAfter) <= 0;
        return java.util.Optional.of(new io.heddle.api.registry.LiveServer(
                current,
                fresh,
                age,
                fresh
                        ? null
                        : "its last heartbeat is " + age.toMillis() + " ms old (stale after " + staleAfter.toMillis()
                                + " ms)"));
    }

    void initiallyOwner(boolean owner) {
        this.initiallyOwner = owner;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public Path tokenFile() {
        return tokenFile;
    }

    @Override
    public boolean closed() {
        return closing.get();
    }

    @Override
    public void onShutdownRequest(Runnable listener) {
        this.shutdownListener = listener;
    }

    @Override
    public void requestShutdown() {
        Runnable listener = shutdownListener;
        Thread t = new Thread(
                () -> {
                    if (listener != null) {
                        listener.run();
                    } else {
                        try {
                            close();
                        } catch (RuntimeException e) {
                            LOG.warn("Closing {} on request failed", record.serverId(), e);
                        }
                    }
                },
                "heddle-shutdown-" + record.serverId());
        // Never close from the request thread: closing stops the very server that serves it.
        t.setDaemon(false);
        t.start();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            closed.join();
            return;
        }
        List<Exception> failures = new ArrayList<>();
        try {
            LiveRecordHeartbeat hb = heartbeat;
            if (hb != null) {
                runStep("stop the live-record heartbeat", hb::close, failures);
            }
            runStep("stop the heartbeat scheduler host", this::stopScheduler, failures);
            runUndo(failures);
        } finally {
            onClosed.accept(this);
            closed.complete(null);
        }
        if (!failures.isEmpty()) {
            ServerCloseException e = new ServerCloseException("Closing server " + record.serverId() + " left "
                    + failures.size() + " step(s) undone: " + failures.get(0).getMessage());
            failures.forEach(e::addSuppressed);
            throw e;
        }
        LOG.info("Server {} closed", record.serverId());
    }

    /** Runs the recorded undo steps newest first; used by close and by a failed start. */
    void runUndo(List<Exception> failures) {
        while (true) {
            NamedStep step;
            synchronized (undo) {
                step = undo.poll();
            }
            if (step == null) {
                return;
            }
            runStep(step.name(), step.step()::undo, failures);
        }
    }

    private void runStep(String name, Step step, List<Exception> failures) {
        try {
            step.undo();
        } catch (Exception e) {
            LOG.warn("Server {}: could not {}: {}", record.serverId(), name, e.toString());
            failures.add(new Exception("could not " + name + ": " + e.getMessage(), e));
        }
    }

    /** Marks the handle as closing without running steps (a failed start undoes them itself). */
    void markAbandoned() {
        closing.set(true);
        closed.complete(null);
    }
}
