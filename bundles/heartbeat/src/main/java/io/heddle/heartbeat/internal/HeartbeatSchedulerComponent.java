package io.heddle.heartbeat.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatSchedulerHost;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.StoreHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat task scheduler in the framework. As {@link HeartbeatSchedulerHost} it runs one
 * {@link SchedulerSession} per server handle (each with its own timer thread and
 * {@code maxConcurrentTasks} worker threads); as {@link HeartbeatTasks} it serves the task and
 * run calls of the HTTP API. Runners arrive as {@link HeartbeatTaskRunner} whiteboard services;
 * a new runner wakes every scheduler, so tasks waiting for its kind run at once.
 */
@Component(
        service = {HeartbeatSchedulerHost.class, HeartbeatTasks.class, HealthContributor.class},
        configurationPid = HeartbeatSchedulerComponent.PID)
@Designate(ocd = HeartbeatSchedulerComponent.Configuration.class)
public final class HeartbeatSchedulerComponent implements HeartbeatSchedulerHost, HeartbeatTasks, HealthContributor {

    public static final String PID = "io.heddle.heartbeat.scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSchedulerComponent.class);

    @ObjectClassDefinition(
            name = "Heddle heartbeat task scheduler",
            description = "How the per-workspace heartbeat task schedulers poll, run, retry and stop.")
    @interface Configuration {
        @AttributeDefinition(
                description = "The longest a scheduler waits before looking at its task files again "
                        + "(it also wakes at the next due time and at once on changes made through this server).")
        long pollIntervalMs() default 1_000L;

        @AttributeDefinition(description = "Runs at once per server.")
        int maxConcurrentTasks() default 4;

        @AttributeDefinition(description = "Runs kept per task; the oldest are pruned.")
        int historyLimit() default 50;

        @AttributeDefinition(description = "On stop, how long running tasks may finish before they are interrupted.")
        long stopTimeoutMs() default 10_000L;

        @AttributeDefinition(description = "Wait before retrying a failed task; doubles with each further failure.")
        long retryBackoffMs() default 30_000L;

        @AttributeDefinition(description = "The longest wait before retrying a failed task.")
        long maxRetryBackoffMs() default 3_600_000L;

        @AttributeDefinition(
                description = "How long a run's lease lasts without renewal; another server may take "
                        + "the task over once it expired.")
        long leaseTtlMs() default 60_000L;

        @AttributeDefinition(description = "The shortest task interval accepted.")
        long minIntervalMs() default 1_000L;
    }

    private final WorkspaceCatalog catalog;
    private final Clock clock = Clock.systemUTC();
    private final RunnerDirectory runners = new RunnerDirectory();
    private final Set<SchedulerSession> sessions = ConcurrentHashMap.newKeySet();
    private final Set<Path> reportedCorrupt = ConcurrentHashMap.newKeySet();
    private final HeartbeatTaskService tasks;
    /** The default task store: each workspace's files. */
    private final FileHeartbeatTaskStore fileStore;

    private volatile SchedulerSettings settings;
    /** Which heartbeat folders cannot be written now; read by {@code /api/health}. */
    private final StoreHealth storeHealth =
            new StoreHealth("heartbeat-store", clock, PROBE_INTERVAL, new StoreHealth.Listener() {
                @Override
                public void unwritable(StoreHealth.Problem problem) {
                    LOG.warn(
                            "Heartbeat store unwritable: {}. Health is degraded until it can be written again.",
                            problem.message());
                    Map<String, Object> p = new HashMap<>();
                    p.put("stateRoot", problem.folder().getParent().toString());
                    p.put("folder", problem.folder().toString());
                    p.put("error", problem.message());
                    post(HeartbeatEvents.STORE_UNWRITABLE, p);
                }

                @Override
                public void writableAgain(StoreHealth.Problem resolved) {
                    LOG.info("Heartbeat store {} can be written again", resolved.folder());
                    Map<String, Object> p = new HashMap<>();
                    p.put("stateRoot", resolved.folder().getParent().toString());
                    p.put("folder", resolved.folder().toString());
                    post(HeartbeatEvents.STORE_WRITABLE, p);
                }
            });
    /** How often an unwritable heartbeat folder is probed. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    /**
     * A task store registered by another bundle (e.g. a shared database store, registered only
     * when configured): while one is present, every workspace's tasks are kept there; without
     * one, in the workspace's files. With several, the highest-ranked one.
     */
    private volatile HeartbeatTaskStore registeredStore;

    @Activate
    public HeartbeatSchedulerComponent(@Reference WorkspaceCatalog catalog, Configuration config) {
        this.catalog = catalog;
        this.settings = settingsOf(config);
        this.fileStore = new FileHeartbeatTaskStore(this::files, clock);
        this.tasks = new HeartbeatTaskService(clock, () -> settings, runners, this::currentStore, this::changed);
    }

    @Reference(
            service = HeartbeatTaskStore.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindStore")
    void bindStore(HeartbeatTaskStore store, Map<String, Object> properties) {
        registeredStore = store;
        LOG.info(
                "Heartbeat tasks are kept in the {} task store (service {})",
                properties.get(HeartbeatTaskStore.KIND),
                properties.get(Constants.SERVICE_ID));
        sessions.forEach(SchedulerSession::sync);
    }

    void unbindStore(HeartbeatTaskStore store) {
        if (registeredStore == store) {
            registeredStore = null;
            LOG.info("Heartbeat tasks are kept in each workspace's files again");
            sessions.forEach(SchedulerSession::sync);
        }
    }

    /** The task store in use: the registered one, else the files. */
    HeartbeatTaskStore currentStore() {
        HeartbeatTaskStore registered = registeredStore;
        return registered != null ? registered : fileStore;
    }

    @Modified
    void modified(Configuration config) {
        // Sessions read the settings at every tick, so running schedulers follow at once.
        this.settings = settingsOf(config);
        sessions.forEach(SchedulerSession::wake);
    }

    static SchedulerSettings settingsOf(Configuration c) {
        SchedulerSettings d = SchedulerSettings.defaults();
        return new SchedulerSettings(
                Duration.ofMillis(c.pollIntervalMs()),
                c.maxConcurrentTasks(),
                c.historyLimit(),
                Duration.ofMillis(c.stopTimeoutMs()),
                Duration.ofMillis(c.retryBackoffMs()),
                Duration.ofMillis(c.maxRetryBackoffMs()),
                Duration.ofMillis(c.leaseTtlMs()),
                Duration.ofMillis(c.minIntervalMs()),
                d.rescanInterval());
    }

    @Reference(
            service = HeartbeatTaskRunner.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindRunner")
    void bindRunner(HeartbeatTaskRunner runner, Map<String, Object> properties) {
        Object kind = properties.get(HeartbeatTaskRunner.KIND);
        if (!(kind instanceof String) || ((String) kind).isBlank()) {
            LOG.warn(
                    "Ignoring a HeartbeatTaskRunner service without a {} property (service id {})",
                    HeartbeatTaskRunner.KIND,
                    properties.get(Constants.SERVICE_ID));
            return;
        }
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        runners.add(
                (String) kind,
                runner,
                ranking instanceof Integer ? (Integer) ranking : 0,
                id instanceof Long ? (Long) id : Long.MAX_VALUE);
        LOG.info("Heartbeat task runner '{}' is available", kind);
        // tasks waiting for this kind are due already: let every scheduler look at once
        sessions.forEach(SchedulerSession::wake);
    }

    void unbindRunner(HeartbeatTaskRunner runner) {
        runners.remove(runner);
    }

    @Deactivate
    void deactivate() {
        for (SchedulerSession s : new ArrayList<>(sessions)) {
            s.stop();
        }
        sessions.clear();
        storeHealth.close();
    }

    // --- HealthContributor ---

    @Override
    public List<HealthProblem> problems() {
        return storeHealth.healthProblems();
    }

    // --- HeartbeatSchedulerHost ---

    @Override
    public Session start(String serverId, Path workspaceRoot, Path stateRoot) {
        AtomicInteger threads = new AtomicInteger();
        int max = settings.maxConcurrent();
        ThreadPoolExecutor workers =
                new ThreadPoolExecutor(max, max, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "heddle-heartbeat-run-" + serverId + "-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        workers.allowCoreThreadTimeOut(true);
        SchedulerSession session = new SchedulerSession(
                serverId,
                stateRoot.toAbsolutePath().normalize(),
                catalog,
                clock,
                () -> settings,
                runners,
                this::post,
                this::currentStore,
                workers);
        sessions.add(session);
        session.sync();
        session.driveWith(new TickTimer("heddle-heartbeat-scheduler-" + serverId, clock, () -> {
            SchedulerSettings now = settings;
            if (workers.getMaximumPoolSize() != now.maxConcurrent()) {
                resize(workers, now.maxConcurrent());
            }
            return session.tick();
        }));
        return new Session() {
            @Override
            public void sync() {
                session.sync();
            }

            @Override
            public void stop() {
                try {
                    session.stop();
                } finally {
                    sessions.remove(session);
                }
            }
        };
    }

    private static void resize(ThreadPoolExecutor workers, int max) {
        if (max > workers.getMaximumPoolSize()) {
            workers.setMaximumPoolSize(max);
            workers.setCorePoolSize(max);
        } else {
            workers.setCorePoolSize(max);
            workers.setMaximumPoolSize(max);
        }
    }

    private FileTaskStore files(Path stateRoot) {
        return new FileTaskStore(
                stateRoot,
                clock,
                new FileTaskStore.CorruptFileListener() {
                    @Override
                    public void setAside(Path file, Path movedTo) {
                        LOG.warn(
                                "Heartbeat file {} was unreadable; moved it to {}. The other tasks keep running.",
                                file,
                                movedTo);
                        Map<String, Object> p = new HashMap<>();
                        p.put("file", file.toString());
                        p.put("movedTo", movedTo.toString());
                        p.put("stateRoot", stateRoot.toString());
                        post(HeartbeatEvents.STORE_CORRUPT_FILE, p);
                    }

                    @Override
                    public void cannotSetAside(Path file, IOException cause) {
                        if (reportedCorrupt.add(file)) {
                            LOG.warn(
                                    "Heartbeat file {} is unreadable and could not be moved aside ({}); it is skipped. "
                                            + "Move it by hand.",
                                    file,
                                    cause.getMessage());
                        }
                    }
                },
                storeHealth);
    }

    private void changed(Path stateRoot) {
        sessions.forEach(s -> s.changed(stateRoot));
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            try {
                events.postEvent(new Event(topic, properties));
            } catch (RuntimeException e) {
                LOG.debug("Could not post {}: {}", topic, e.toString());
            }
        }
    }

    // --- HeartbeatTasks ---

    @Override
    public List<HeartbeatTask> list(WorkspaceDescriptor workspace) {
        return tasks.list(workspace);
    }

    @Override
    public Optional<HeartbeatTask> get(WorkspaceDescriptor workspace, String taskId) {
        return tasks.get(workspace, taskId);
    }

    @Override
    public HeartbeatTask create(WorkspaceDescriptor workspace, HeartbeatTaskSpec spec) {
        HeartbeatTask created = tasks.create(workspace, spec);
        Map<String, Object> p = taskProps(workspace, created.id());
        if (created.name() != null) {
            p.put("name", created.name());
        }
        post(HeartbeatEvents.TASK_CREATED, p);
        return created;
    }

    @Override
    public HeartbeatTask update(WorkspaceDescriptor workspace, String taskId, HeartbeatTaskPatch patch) {
        HeartbeatTask updated = tasks.update(workspace, taskId, patch);
        taskUpdated(workspace, taskId, "edited");
        return updated;
    }

    @Override
    public void delete(WorkspaceDescriptor workspace, String taskId) {
        tasks.delete(workspace, taskId);
        post(HeartbeatEvents.TASK_DELETED, taskProps(workspace, taskId));
    }

    @Override
    public HeartbeatTask runNow(WorkspaceDescriptor workspace, String taskId) {
        HeartbeatTask requested = tasks.runNow(workspace, taskId);
        taskUpdated(workspace, taskId, "run_requested");
        return requested;
    }

    @Override
    public HeartbeatTask resume(WorkspaceDescriptor workspace, String taskId) {
        HeartbeatTask resumed = tasks.resume(workspace, taskId);
        taskUpdated(workspace, taskId, "resumed");
        return resumed;
    }

    private void taskUpdated(WorkspaceDescriptor workspace, String taskId, String change) {
        Map<String, Object> p = taskProps(workspace, taskId);
        p.put(HeartbeatEvents.CHANGE, change);
        post(HeartbeatEvents.TASK_UPDATED, p);
    }

    /** Changes through this service name no server: every event client of this JVM hears them. */
    private static Map<String, Object> taskProps(WorkspaceDescriptor workspace, String taskId) {
        Map<String, Object> p = new HashMap<>();
        p.put(HeartbeatEvents.WORKSPACE_ID, workspace.id());
        p.put(HeartbeatEvents.TASK_ID, taskId);
        return p;
    }

    @Override
    public List<HeartbeatRun> runs(WorkspaceDescriptor workspace, String taskId) {
        return tasks.runs(workspace, taskId);
    }

    @Override
    public Optional<HeartbeatRun> run(WorkspaceDescriptor workspace, String taskId, String runId) {
        return tasks.run(workspace, taskId, runId);
    }

    @Override
    public TaskStoreDescription store() {
        return tasks.store();
    }

    @Override
    public int fileTasksWaiting(WorkspaceDescriptor workspace) {
        return tasks.fileTasksWaiting(workspace);
    }

    @Override
    public Map<String, Object> exportTasks(WorkspaceDescriptor workspace, boolean fromFiles) {
        return tasks.exportTasks(workspace, fromFiles);
    }

    @Override
    public Map<String, String> importTasks(
            WorkspaceDescriptor workspace, Map<String, Object> document, boolean toFiles, boolean rename) {
        Map<String, String> stored = tasks.importTasks(workspace, document, toFiles, rename);
        for (String id : stored.values()) {
            post(HeartbeatEvents.TASK_CREATED, taskProps(workspace, id));
        }
        return stored;
    }
}
