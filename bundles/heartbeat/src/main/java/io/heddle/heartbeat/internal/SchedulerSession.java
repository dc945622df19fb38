package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatSchedulerHost;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedulers of one server: one {@link WorkspaceScheduler} per workspace of the server's
 * catalog, sharing the server's run slots and worker threads. {@link #tick()} polls them all;
 * in the framework a {@link TickTimer} calls it, in tests the test does.
 */
final class SchedulerSession implements HeartbeatSchedulerHost.Session {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerSession.class);
    /** How long a stop waits for interrupted runners to return before recording them itself. */
    static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private final String serverId;
    private final Path stateRoot;
    private final WorkspaceCatalog catalog;
    private final Clock clock;
    private final Supplier<SchedulerSettings> settings;
    private final RunnerDirectory runners;
    private final SchedulerEvents events;
    private final Supplier<HeartbeatTaskStore> stores;
    /** The store the current schedulers work on; a different one in use retires them all at the next sync. */
    private HeartbeatTaskStore storeInUse;

    private final ExecutorService workers;
    private final RunSlots slots;
    private final Map<String, WorkspaceScheduler> schedulers = new ConcurrentHashMap<>();
    private final Set<WorkspaceScheduler> retiring = ConcurrentHashMap.newKeySet();
    private final Map<String, String> pollFailures = new ConcurrentHashMap<>();
    private volatile TickTimer timer;
    private volatile boolean stopped;
    private volatile Duration interruptGrace = INTERRUPT_GRACE;

    SchedulerSession(
            String serverId,
            Path stateRoot,
            WorkspaceCatalog catalog,
            Clock clock,
            Supplier<SchedulerSettings> settings,
            RunnerDirectory runners,
            SchedulerEvents events,
            Supplier<HeartbeatTaskStore> stores,
            ExecutorService workers) {
        this.serverId = serverId;
        this.stateRoot = stateRoot;
        this.catalog = catalog;
        this.clock = clock;
        this.settings = settings;
        this.runners = runners;
        this.events = events;
        this.stores = stores;
        this.workers = workers;
        this.slots = new RunSlots(() -> settings.get().maxConcurrent());
    }

    String serverId() {
        return serverId;
    }

    /** Tests shorten the wait for runners that ignore interrupts. */
    void interruptGrace(Duration grace) {
        this.interruptGrace = grace;
    }

    /** Lets a timer drive the ticks from now on (without one, the owner calls {@link #tick()}). */
    void driveWith(TickTimer t) {
        this.timer = t;
        t.wakeNow();
    }

    /** Asks for a tick soon. */
    void wake() {
        TickTimer t = timer;
        if (t != null && !stopped) {
            t.wakeNow();
        }
    }

    /** Tasks of {@code taskStateRoot} changed in this JVM: re-read them at once. */
    void changed(Path taskStateRoot) {
        Path normalized = taskStateRoot.toAbsolutePath().normalize();
        boolean ours = false;
        for (WorkspaceScheduler s : schedulers.values()) {
            if (s.stateRoot().equals(normalized)) {
                s.changed();
                ours = true;
            }
        }
        if (ours) {
            wake();
        }
    }

    /** Polls every workspace once; answers when the next tick is wanted at the latest. */
    Instant tick() {
        Instant next = clock.instant().plus(settings.get().pollInterval());
        for (WorkspaceScheduler s : new ArrayList<>(schedulers.values())) {
            try {
                Instant wanted = s.poll();
                next = wanted.isBefore(next) ? wanted : next;
                pollFailures.remove(s.workspaceId());
            } catch (RuntimeException e) {
                // once per distinct failure, not once per poll
                String message = String.valueOf(e.getMessage());
                if (!message.equals(pollFailures.put(s.workspaceId(), message))) {
                    LOG.warn(
                            "Heartbeat scheduler of workspace {} (server {}) failed to poll: {}",
                            s.workspaceId(),
                            serverId,
                            message);
                }
            }
        }
        for (WorkspaceScheduler s : new ArrayList<>(retiring)) {
            s.poll(); // renews the leases of its last runs
            if (s.activeRuns() == 0 && retiring.remove(s)) {
                events.post(HeartbeatEvents.SCHEDULER_STOPPED, workspaceProps(s.workspaceId()));
            }
        }
        return next;
    }

    @Override
    public synchronized void sync() {
        if (stopped) {
            return;
        }
        CatalogSnapshot snapshot;
        try {
            snapshot = catalog.read(stateRoot);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Heartbeat schedulers of server {}: cannot read the workspace catalog of {}: {}",
                    serverId,
                    stateRoot,
                    e.getMessage());
            return;
        }
        Map<String, WorkspaceDescriptor> wanted = new HashMap<>();
        for (WorkspaceDescriptor w : snapshot.workspaces()) {
            wanted.put(w.id(), w);
        }
        HeartbeatTaskStore store = stores.get();
        if (storeInUse != null && store != storeInUse) {
            // another store took over (or left): the schedulers on the old one finish their runs there
            LOG.info("Heartbeat schedulers of server {} move to the task store {}", serverId, describe(store));
            for (String id : new HashSet<>(schedulers.keySet())) {
                retire(id);
            }
        }
        storeInUse = store;
        for (WorkspaceDescriptor w : wanted.values()) {
            WorkspaceScheduler running = schedulers.get(w.id());
            if (running == null || FileHeartbeatTaskStore.isFileStore(running.store())) {
                continue; // the files do not use the key: the same tasks whatever it is
            }
            String key = TaskWorkspaces.of(w).key();
            if (!key.equals(running.store().workspace().key())) {
                // its key was set or cleared: the tasks under the new key are other tasks; a scheduler for them
                // takes over, and this one finishes its runs
                retire(w.id());
                LOG.info(
                        "Heartbeat scheduler of workspace {} on server {} moves to the workspace key {}",
                        w.id(),
                        serverId,
                        key);
            }
        }
        SchedulerContext ctx =
                new SchedulerContext(serverId, clock, settings, runners, events, slots, workers, this::wake);
        for (WorkspaceDescriptor w : wanted.values()) {
            schedulers.computeIfAbsent(w.id(), id -> {
                WorkspaceTaskStore tasks = store.workspace(TaskWorkspaces.of(w));
                if (tasks instanceof FileWorkspaceTaskStore files) {
                    removeStaleTempFiles(files.files());
                }
                WorkspaceScheduler s = new WorkspaceScheduler(ctx, tasks);
                events.post(HeartbeatEvents.SCHEDULER_STARTED, workspaceProps(id));
                LOG.info(
                        "Heartbeat scheduler started for workspace {} ({}) on server {}",
                        id,
                        w.workspaceRoot(),
                        serverId);
                return s;
            });
        }
        for (String id : new HashSet<>(schedulers.keySet())) {
            if (!wanted.containsKey(id)) {
                retire(id);
                LOG.info(
                        "Heartbeat scheduler of workspace {} on server {} stops: the workspace left the catalog",
                        id,
                        serverId);
            }
        }
        wake();
    }

    private void retire(String workspaceId) {
        WorkspaceScheduler s = schedulers.remove(workspaceId);
        if (s != null) {
            s.retire();
            retiring.add(s);
        }
    }

    private static String describe(HeartbeatTaskStore store) {
        try {
            TaskStoreDescription d = store.describe();
            return d.kind() + " (" + d.description() + ")";
        } catch (RuntimeException e) {
            return store.getClass().getName();
        }
    }

    /** At the start of a workspace's scheduler: what killed writers left behind goes. */
    private static void removeStaleTempFiles(FileTaskStore store) {
        try {
            int removed = store.removeStaleTempFiles();
            if (removed > 0) {
                LOG.info("Removed {} stale temp file(s) under {}", removed, store.folder());
            }
        } catch (RuntimeException e) {
            LOG.debug("Could not look for stale temp files under {}: {}", store.folder(), e.toString());
        }
    }

    /** The workspaces scheduled now. */
    List<String> workspaceIds() {
        return new ArrayList<>(schedulers.keySet());
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
        }
        List<WorkspaceScheduler> all = new ArrayList<>(schedulers.values());
        all.addAll(retiring);
        all.forEach(WorkspaceScheduler::retire);
        TickTimer t = timer;
        if (t != null) {
            t.stop(Duration.ofSeconds(5));
        }
        SchedulerSettings cfg = settings.get();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(cfg.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn(
                        "Heartbeat scheduler of server {}: runs still going after {} ms; interrupting them",
                        serverId,
                        cfg.stopTimeout().toMillis());
                // Interrupt the runners only (not shutdownNow): a worker that is writing an outcome
                // must not be interrupted, or the file channel would close under it.
                all.forEach(WorkspaceScheduler::cancelRuns);
                workers.awaitTermination(interruptGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(WorkspaceScheduler::cancelRuns);
        }
        String why = "interrupted: server " + serverId + " stopped before the run finished";
        all.forEach(s -> s.interruptRemaining(why));
        for (WorkspaceScheduler s : all) {
            if (schedulers.remove(s.workspaceId(), s) || retiring.remove(s)) {
                events.post(HeartbeatEvents.SCHEDULER_STOPPED, workspaceProps(s.workspaceId()));
            }
        }
        LOG.info("Heartbeat schedulers of server {} stopped", serverId);
    }

    boolean stopped() {
        return stopped;
    }

    private Map<String, Object> workspaceProps(String workspaceId) {
        Map<String, Object> p = new HashMap<>();
        p.put(HeartbeatEvents.SERVER_ID, serverId);
        p.put(HeartbeatEvents.WORKSPACE_ID, workspaceId);
        return p;
    }
}
