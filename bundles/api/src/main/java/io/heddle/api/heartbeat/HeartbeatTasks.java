package io.heddle.api.heartbeat;

import io.heddle.api.workspace.WorkspaceDescriptor;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable heartbeat tasks and run history of workspaces, as the HTTP API and the CLI see
 * them. Every method works on the workspace's task store
 * ({@link io.heddle.api.heartbeat.store.HeartbeatTaskStore}: by default the files of
 * {@code workspace.stateRoot()}), so it answers the same whichever server (or none) schedules
 * that workspace.
 *
 * <p>Unknown task or run ids answer empty or throw {@link NoSuchElementException}; invalid
 * input throws {@link HeartbeatTaskValidationException}; a request that does not fit the
 * task's state throws {@link HeartbeatTaskConflictException}.
 */
@ProviderType
public interface HeartbeatTasks {

    /** The tasks of the workspace, by id. Corrupt task files are set aside and reported. */
    List<HeartbeatTask> list(WorkspaceDescriptor workspace);

    Optional<HeartbeatTask> get(WorkspaceDescriptor workspace, String taskId);

    /** Creates a task; its first slot is one interval from now. */
    HeartbeatTask create(WorkspaceDescriptor workspace, HeartbeatTaskSpec spec);

    /** Applies a change; see {@link HeartbeatTaskPatch}. */
    HeartbeatTask update(WorkspaceDescriptor workspace, String taskId, HeartbeatTaskPatch patch);

    /** Deletes a task with its run history; a run in progress finishes but is not recorded. */
    void delete(WorkspaceDescriptor workspace, String taskId);

    /**
     * Asks for one run as soon as possible, outside the schedule (which stays as it was).
     *
     * @throws HeartbeatTaskConflictException when the task is disabled, running, or holds for a resume
     */
    HeartbeatTask runNow(WorkspaceDescriptor workspace, String taskId);

    /**
     * Releases a task that is blocked, paused (waiting for resume), complete or failed: it
     * becomes idle and runs at once, then follows its schedule.
     *
     * @throws HeartbeatTaskConflictException when there is nothing to resume
     */
    HeartbeatTask resume(WorkspaceDescriptor workspace, String taskId);

    /** The run history of a task, newest first. */
    List<HeartbeatRun> runs(WorkspaceDescriptor workspace, String taskId);

    Optional<HeartbeatRun> run(WorkspaceDescriptor workspace, String taskId, String runId);

    /**
     * The task store in use now (the files, or the store another bundle registered), with where
     * it is and, for a shared one, the servers that used it lately. Answers from memory.
     */
    io.heddle.api.heartbeat.store.TaskStoreDescription store();

    /**
     * How many task files of the workspace are not run because another store is in use (they
     * wait to be imported into it); 0 while the files are the store.
     */
    int fileTasksWaiting(WorkspaceDescriptor workspace);

    /**
     * The tasks of the workspace as one JSON document, {@code {"format":"heddle-tasks","version":1,
     * "tasks":[...]}}, each task as its task file has it (state and schedule included), by id:
     * from the store in use or, with {@code fromFiles}, from the workspace's own task files (those
     * a shared store leaves waiting). Nothing is changed.
     */
    Map<String, Object> exportTasks(WorkspaceDescriptor workspace, boolean fromFiles);

    /**
     * Stores the tasks of an {@link #exportTasks} document as they are (exporting them again gives
     * the same document) into the store in use or, with {@code toFiles}, into the workspace's own
     * task files. All or nothing: when a task id exists there already, nothing is stored and
     * {@link HeartbeatTaskConflictException} names the ids, unless {@code rename}, which gives each
     * such task a new id.
     *
     * @return the id each task was stored under, by its id in the document, in document order
     * @throws HeartbeatTaskValidationException when the document is not such an export
     */
    Map<String, String> importTasks(
            WorkspaceDescriptor workspace, Map<String, Object> document, boolean toFiles, boolean rename);
}
