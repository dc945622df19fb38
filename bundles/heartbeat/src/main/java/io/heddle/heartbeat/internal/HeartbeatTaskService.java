package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.ContinuationMode;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatSchedule;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import io.heddle.api.heartbeat.HeartbeatTaskPatch;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTaskSpec;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.HeartbeatTaskValidationException;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.heartbeat.store.HeartbeatTaskStore;
import io.heddle.api.heartbeat.store.TaskStoreDescription;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HeartbeatTasks} on the task store in use ({@link HeartbeatTaskStore}: the workspace's
 * files by default): the checks of input and the rules of run-now and resume. Every change is
 * one atomic update of the store, so it cannot interleave with a scheduler's claim, and is then
 * announced to the schedulers of this JVM (schedulers elsewhere see the store's new revision at
 * their next poll).
 */
final class HeartbeatTaskService implements HeartbeatTasks {

    static final long MAX_INTERVAL_MS = Duration.ofDays(366).toMillis();
    static final int MAX_NAME = 200;
    static final int MAX_INSTRUCTION = 16 * 1024;
    static final int MAX_RUNNER_CONFIG_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatTaskService.class);
    private static final Pattern KIND = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Clock clock;
    private final Supplier<SchedulerSettings> settings;
    private final RunnerDirectory runners;
    private final Supplier<HeartbeatTaskStore> stores;
    private final Consumer<Path> changed;

    /**
     * @param stores  the store in use now
     * @param changed told the state root of a workspace whose tasks this service changed
     */
    HeartbeatTaskService(
            Clock clock,
            Supplier<SchedulerSettings> settings,
            RunnerDirectory runners,
            Supplier<HeartbeatTaskStore> stores,
            Consumer<Path> changed) {
        this.clock = clock;
        this.settings = settings;
        this.runners = runners;
        this.stores = stores;
        this.changed = changed;
    }

    private WorkspaceTaskStore store(WorkspaceDescriptor w) {
        return stores.get().workspace(TaskWorkspaces.of(w));
    }

    private void changed(WorkspaceTaskStore store) {
        changed.accept(store.workspace().stateRoot());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A task as the API shows it: one whose runner kind is not installed reads as waiting for
     * its runner (see {@link TaskTransitions#shownWaitingForRunner}); its file is not changed.
     */
    private HeartbeatTask shown(HeartbeatTask t) {
        return runners.find(t.runner()).isPresent() ? t : TaskTransitions.shownWaitingForRunner(t);
    }

    @Override
    public List<HeartbeatTask> list(WorkspaceDescriptor workspace) {
        return store(workspace).list().stream().map(this::shown).toList();
    }

    @Override
    public Optional<HeartbeatTask> get(WorkspaceDescriptor workspace, String taskId) {
        return store(workspace).get(taskId).map(this::shown);
    }

    @Override
    public HeartbeatTask create(WorkspaceDescriptor workspace, HeartbeatTaskSpec spec) {
        checkName(spec.name());
        checkInstruction(spec.task());
        checkInterval(spec.intervalMs());
        checkRunner(spec.runner(), spec.runnerConfig());
        WorkspaceTaskStore store = store(workspace);
        Instant now = now();
        HeartbeatTask created = null;
        while (created == null) {
            HeartbeatTask t = new HeartbeatTask(
                    TaskIds.newTaskId(),
                    blankToNull(spec.name()),
                    spec.task(),
                    spec.enabled(),
                    spec.continuationMode(),
                    spec.runner().trim(),
                    spec.runnerConfig(),
                    new HeartbeatSchedule(spec.intervalMs(), now.plusMillis(spec.intervalMs())),
                    HeartbeatTaskState.created(now),
                    now,
                    now);
            try {
                created = store.create(t);
            } catch (HeartbeatTaskConflictException idTaken) {
                // a new id and again
            }
        }
        changed(store);
        return shown(created);
    }

    @Override
    public HeartbeatTask update(WorkspaceDescriptor workspace, String taskId, HeartbeatTaskPatch patch) {
        if (patch.name() != null) {
            checkName(patch.name());
        }
        if (patch.task() != null) {
            checkInstruction(patch.task());
        }
        if (patch.intervalMs() != null) {
            checkInterval(patch.intervalMs());
        }
        WorkspaceTaskStore store = store(workspace);
        Instant now = now();
        HeartbeatTask updated = existing(
                store.update(taskId, t -> {
                    String runner = patch.runner() != null ? patch.runner().trim() : t.runner();
                    Map<String, Object> config = patch.runnerConfig() != null ? patch.runnerConfig() : t.runnerConfig();
                    if (patch.runner() != null || patch.runnerConfig() != null) {
                        checkRunner(runner, config);
                    }
                    boolean enabled = patch.enabled() != null ? patch.enabled() : t.enabled();
                    long interval = patch.intervalMs() != null
                            ? patch.intervalMs()
                            : t.schedule().intervalMs();
                    Instant nextRunAt = t.schedule().nextRunAt();
                    boolean enabling = enabled && !t.enabled();
                    boolean newInterval = interval != t.schedule().intervalMs();
                    if ((enabling || newInterval) && t.state().status() != HeartbeatTaskStatus.COMPLETE) {
                        nextRunAt = now.plusMillis(interval);
                    }
                    ContinuationMode mode =
                            patch.continuationMode() != null ? patch.continuationMode() : t.continuationMode();
                    String name = patch.name() != null ? blankToNull(patch.name()) : t.name();
                    String instruction = patch.task() != null ? patch.task() : t.task();
                    HeartbeatTask next = new HeartbeatTask(
                            t.id(),
                            name,
                            instruction,
                            enabled,
                            mode,
                            runner,
                            config,
                            new HeartbeatSchedule(interval, nextRunAt),
                            t.state(),
                            t.createdAt(),
                            now,
                            t.extraFields());
                    return next;
                }),
                taskId);
        changed(store);
        return shown(updated);
    }

    @Override
    public void delete(WorkspaceDescriptor workspace, String taskId) {
        WorkspaceTaskStore store = store(workspace);
        if (!store.delete(taskId)) {
            throw unknown(taskId);
        }
        changed(store);
    }

    @Override
    public HeartbeatTask runNow(WorkspaceDescriptor workspace, String taskId) {
        WorkspaceTaskStore store = store(workspace);
        Instant now = now();
        HeartbeatTask requested = existing(
                store.update(taskId, t -> {
                    HeartbeatTaskState s = t.state();
                    if (!t.enabled()) {
                        throw new HeartbeatTaskConflictException("Task " + taskId + " is disabled: enable it first "
                                + "(PATCH {\"enabled\": true}), then run it.");
                    }
                    switch (s.status()) {
                        case RUNNING:
                            throw new HeartbeatTaskConflictException(
                                    "Task " + taskId + " is running already (run " + s.lastRunId() + ").");
                        case BLOCKED:
                        case COMPLETE:
                            throw new HeartbeatTaskConflictException(
                                    "Task " + taskId + " is " + s.status().wireName()
                                            + ": it runs again only through a resume (POST .../resume).");
                        case WAITING:
                            if (HeartbeatTaskState.NEEDS_RESUME.equals(s.needs())) {
                                throw new HeartbeatTaskConflictException(
                                        "Task " + taskId
                                                + " was paused by its runner: it runs again only through a resume (POST .../resume).");
                            }
                            break;
                        default:
                            break;
                    }
                    if (s.runRequestedAt() != null) {
                        return t;
                    }
                    return t.withState(new HeartbeatTaskState(
                                    s.status(),
                                    s.progress(),
                                    s.runAt(),
                                    s.result(),
                                    s.error(),
                                    now,
                                    s.needs(),
                                    s.message(),
                                    s.failures(),
                                    s.lastRunId(),
                                    now,
                                    s.lastError()))
                            .withUpdatedAt(now);
                }),
                taskId);
        changed(store);
        return shown(requested);
    }

    @Override
    public HeartbeatTask resume(WorkspaceDescriptor workspace, String taskId) {
        WorkspaceTaskStore store = store(workspace);
        Instant now = now();
        HeartbeatTask resumed = existing(
                store.update(taskId, t -> {
                    HeartbeatTaskState s = t.state();
                    boolean held = s.status() == HeartbeatTaskStatus.BLOCKED
                            || s.status() == HeartbeatTaskStatus.COMPLETE
                            || s.status() == HeartbeatTaskStatus.FAILED
                            || (s.status() == HeartbeatTaskStatus.WAITING
                                    && HeartbeatTaskState.NEEDS_RESUME.equals(s.needs()));
                    if (!held) {
                        throw new HeartbeatTaskConflictException(
                                "Task " + taskId + " is " + s.status().wireName()
                                        + (TaskTransitions.waitingForRunner(t) ? " for a runner" : "")
                                        + ": there is nothing to resume (resume releases blocked, paused, complete or failed tasks).");
                    }
                    HeartbeatSchedule schedule = t.schedule().nextRunAt() == null
                            ? new HeartbeatSchedule(
                                    t.schedule().intervalMs(),
                                    now.plusMillis(t.schedule().intervalMs()))
                            : t.schedule();
                    return t.withState(new HeartbeatTaskState(
                                    HeartbeatTaskStatus.IDLE,
                                    null,
                                    s.runAt(),
                                    s.result(),
                                    null,
                                    now,
                                    null,
                                    null,
                                    0,
                                    s.lastRunId(),
                                    now))
                            .withSchedule(schedule)
                            .withUpdatedAt(now);
                }),
                taskId);
        changed(store);
        return shown(resumed);
    }

    @Override
    public List<HeartbeatRun> runs(WorkspaceDescriptor workspace, String taskId) {
        WorkspaceTaskStore store = store(workspace);
        existing(store.get(taskId), taskId);
        return store.runs(taskId);
    }

    @Override
    public Optional<HeartbeatRun> run(WorkspaceDescriptor workspace, String taskId, String runId) {
        return store(workspace).run(taskId, runId);
    }

    // --- validation ---

    private static HeartbeatTask existing(Optional<HeartbeatTask> task, String taskId) {
        return task.orElseThrow(() -> unknown(taskId));
    }

    private static NoSuchElementException unknown(String taskId) {
        return new NoSuchElementException("No heartbeat task with id " + taskId + ".");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static void checkName(String name) {
        if (name != null && name.length() > MAX_NAME) {
            throw new HeartbeatTaskValidationException(
                    "name", "Field 'name' must be at most " + MAX_NAME + " characters.");
        }
    }

    private static void checkInstruction(String task) {
        if (task == null || task.isBlank()) {
            throw new HeartbeatTaskValidationException(
                    "task", "Field 'task' is required: a non-empty instruction that says what the task is for.");
        }
        if (task.length() > MAX_INSTRUCTION) {
            throw new HeartbeatTaskValidationException(
                    "task", "Field 'task' must be at most " + MAX_INSTRUCTION + " characters.");
        }
    }

    private void checkInterval(long intervalMs) {
        long min = settings.get().minInterval().toMillis();
        if (intervalMs < min || intervalMs > MAX_INTERVAL_MS) {
            throw new HeartbeatTaskValidationException(
                    "schedule.intervalMs",
                    "Field 'schedule.intervalMs' must be " + "between " + min + " and " + MAX_INTERVAL_MS
                            + " milliseconds: " + intervalMs);
        }
    }

    private void checkRunner(String runner, Map<String, Object> config) {
        if (runner == null || !KIND.matcher(runner.trim()).matches()) {
            throw new HeartbeatTaskValidationException(
                    "runner",
                    "Field 'runner' must name a runner kind (letters, "
                            + "digits, '.', '_' or '-', at most 64), e.g. \"command\".");
        }
        if (JsonTree.writeCompact(config).getBytes(StandardCharsets.UTF_8).length > MAX_RUNNER_CONFIG_BYTES) {
            throw new HeartbeatTaskValidationException(
                    "runnerConfig",
                    "Field 'runnerConfig' must be at most " + MAX_RUNNER_CONFIG_BYTES + " bytes of JSON.");
        }
        Optional<HeartbeatTaskRunner> installed = runners.find(runner.trim());
        if (installed.isEmpty()) {
            return; // checked by the runner when it appears; until then the task waits for it
        }
        try {
            installed.get().validate(config);
        } catch (HeartbeatTaskValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HeartbeatTaskValidationException(
                    "runnerConfig", "The runner '" + runner + "' refused field 'runnerConfig': " + e.getMessage());
        }
    }

    @Override
    public TaskStoreDescription store() {
        HeartbeatTaskStore store = stores.get();
        try {
            return store.describe();
        } catch (RuntimeException e) {
            return new TaskStoreDescription(
                    "unknown", store.getClass().getName(), "Could not describe the task store: " + e.getMessage());
        }
    }

    @Override
    public int fileTasksWaiting(WorkspaceDescriptor workspace) {
        if (stores.get() instanceof FileHeartbeatTaskStore) {
            return 0; // the files are the store: they run, they do not wait
        }
        return new FileTaskStore(Path.of(workspace.stateRoot()), clock, null).countTaskFiles();
    }

    // --- export and import ---

    /** The {@code format} of an export document. */
    static final String EXPORT_FORMAT = "heddle-tasks";

    static final int EXPORT_VERSION = 1;

    @Override
    public Map<String, Object> exportTasks(WorkspaceDescriptor workspace, boolean fromFiles) {
        WorkspaceTaskStore from = fromFiles ? files(workspace) : store(workspace);
        List<Object> list = new ArrayList<>();
        List<HeartbeatTask> all = new ArrayList<>(from.list());
        all.sort(java.util.Comparator.comparing(HeartbeatTask::id));
        for (HeartbeatTask t : all) {
            try {
                list.add(JsonTree.parse(TaskCodec.encodeTask(t)));
            } catch (JsonTree.MalformedJsonException e) {
                throw new IllegalStateException("a task encoded to bad JSON: " + t.id(), e);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", EXPORT_FORMAT);
        doc.put("version", EXPORT_VERSION);
        doc.put("tasks", list);
        return doc;
    }

    @Override
    public Map<String, String> importTasks(
            WorkspaceDescriptor workspace, Map<String, Object> document, boolean toFiles, boolean rename) {
        if (document == null || !EXPORT_FORMAT.equals(document.get("format"))) {
            throw new HeartbeatTaskValidationException(
                    "format",
                    "this is not a task export: its \"format\" must be \"" + EXPORT_FORMAT
                            + "\" (a file written by heddle task export)");
        }
        if (!(document.get("version") instanceof Number v) || v.intValue() != EXPORT_VERSION) {
            throw new HeartbeatTaskValidationException(
                    "version",
                    "export version " + document.get("version") + " is not one this server reads (it reads version "
                            + EXPORT_VERSION + ")");
        }
        if (!(document.get("tasks") instanceof List<?> raw)) {
            throw new HeartbeatTaskValidationException("tasks", "must be a list of tasks");
        }
        List<HeartbeatTask> tasks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String field = "tasks[" + i + "]";
            if (!(raw.get(i) instanceof Map<?, ?> m)) {
                throw new HeartbeatTaskValidationException(field, "must be a task object");
            }
            Object id = m.get("id");
            if (!(id instanceof String s) || !TaskIds.valid(s)) {
                throw new HeartbeatTaskValidationException(
                        field + ".id", "must be a task id (letters, digits, '.', '_'" + " or '-', at most 64)");
            }
            if (!ids.add(s)) {
                throw new HeartbeatTaskValidationException(field + ".id", "the id " + s + " appears twice");
            }
            HeartbeatTask t = TaskCodec.decodeTask(s, JsonTree.write(m))
                    .orElseThrow(() -> new HeartbeatTaskValidationException(field, "is not a task"));
            if (!KIND.matcher(t.runner()).matches()) {
                throw new HeartbeatTaskValidationException(field + ".runner", "is not a runner kind: " + t.runner());
            }
            tasks.add(t);
        }
        WorkspaceTaskStore to = toFiles ? files(workspace) : store(workspace);
        List<String> existing = new ArrayList<>();
        for (HeartbeatTask t : tasks) {
            if (to.get(t.id()).isPresent()) {
                existing.add(t.id());
            }
        }
        if (!existing.isEmpty() && !rename) {
            throw new HeartbeatTaskConflictException("task id(s) " + String.join(", ", existing) + " exist already in "
                    + (toFiles ? "the workspace's task files" : "the task store in use") + "; nothing was imported."
                    + " Import with --rename (rename=true) to give them new ids.");
        }
        Map<String, String> stored = new LinkedHashMap<>();
        List<HeartbeatTask> renamed = new ArrayList<>();
        for (HeartbeatTask t : tasks) {
            HeartbeatTask s = existing.contains(t.id()) ? withId(t, TaskIds.newTaskId()) : t;
            renamed.add(s);
            stored.put(t.id(), s.id());
        }
        to.createAll(renamed); // all or nothing, also against a server creating one of the ids meanwhile
        changed(to);
        return stored;
    }

    /** {@code t} under another id (an import with {@code rename}). */
    static HeartbeatTask withId(HeartbeatTask t, String id) {
        return new HeartbeatTask(
                id,
                t.name(),
                t.task(),
                t.enabled(),
                t.continuationMode(),
                t.runner(),
                t.runnerConfig(),
                t.schedule(),
                t.state(),
                t.createdAt(),
                t.updatedAt(),
                t.extraFields());
    }

    /** The workspace's own task files, whichever store is in use. */
    private WorkspaceTaskStore files(WorkspaceDescriptor w) {
        HeartbeatTaskStore inUse = stores.get();
        if (inUse instanceof FileHeartbeatTaskStore f) {
            return f.workspace(TaskWorkspaces.of(w));
        }
        return new FileWorkspaceTaskStore(
                TaskWorkspaces.of(w),
                new FileTaskStore(Path.of(w.stateRoot()), clock, new FileTaskStore.CorruptFileListener() {
                    @Override
                    public void setAside(Path file, Path movedTo) {
                        LOG.warn("Heartbeat file {} was unreadable; moved it to {}", file, movedTo);
                    }

                    @Override
                    public void cannotSetAside(Path file, java.io.IOException cause) {
                        LOG.warn(
                                "Heartbeat file {} is unreadable and could not be set aside: {}",
                                file,
                                cause.toString());
                    }
                }),
                clock);
    }
}
