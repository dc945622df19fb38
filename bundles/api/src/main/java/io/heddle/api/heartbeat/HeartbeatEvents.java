package io.heddle.api.heartbeat;

/**
 * The Event Admin topics the heartbeat scheduler posts, and their properties. Every topic
 * under {@code io/heddle/} is also streamed by {@code GET /api/events}, named by the topic
 * after {@code io/heddle/} with dots for slashes, in lower case: {@code heartbeat.task.started}.
 */
public final class HeartbeatEvents {

    public static final String SCHEDULER_STARTED = "io/heddle/heartbeat/scheduler/STARTED";
    public static final String SCHEDULER_STOPPED = "io/heddle/heartbeat/scheduler/STOPPED";
    /** A task is due on a scheduler (once per slot and scheduler). */
    public static final String TASK_DUE = "io/heddle/heartbeat/task/DUE";

    public static final String TASK_STARTED = "io/heddle/heartbeat/task/STARTED";
    /** A run ended with a decision ({@code decision}, {@code status} = the task's new status). */
    public static final String TASK_FINISHED = "io/heddle/heartbeat/task/FINISHED";
    /** A run failed or was interrupted ({@code error}, {@code interrupted}). */
    public static final String TASK_FAILED = "io/heddle/heartbeat/task/FAILED";
    /** A task is waiting for a runner kind that no bundle provides ({@code runner}). */
    public static final String TASK_WAITING = "io/heddle/heartbeat/task/WAITING";
    /** A task was created through {@link HeartbeatTasks} ({@code workspaceId}, {@code taskId}, {@code name}); since 1.2. */
    public static final String TASK_CREATED = "io/heddle/heartbeat/task/CREATED";
    /**
     * A task was changed through {@link HeartbeatTasks} ({@code workspaceId}, {@code taskId},
     * {@link #CHANGE}: {@code edited}, {@code run_requested} or {@code resumed}); since 1.2.
     */
    public static final String TASK_UPDATED = "io/heddle/heartbeat/task/UPDATED";
    /** A task was deleted through {@link HeartbeatTasks} ({@code workspaceId}, {@code taskId}); since 1.2. */
    public static final String TASK_DELETED = "io/heddle/heartbeat/task/DELETED";
    /** A corrupt file was set aside ({@code file}, {@code movedTo}). */
    public static final String STORE_CORRUPT_FILE = "io/heddle/heartbeat/store/CORRUPT_FILE";
    /** A heartbeat folder cannot be written ({@code stateRoot}, {@code folder}, {@code error}); health is degraded. */
    public static final String STORE_UNWRITABLE = "io/heddle/heartbeat/store/UNWRITABLE";
    /** A heartbeat folder that could not be written can be again ({@code stateRoot}, {@code folder}). */
    public static final String STORE_WRITABLE = "io/heddle/heartbeat/store/WRITABLE";
    /**
     * A task's run or state could not be recorded ({@code error}, {@code runId} when a run was
     * concerned); the task shows it as {@code state.lastError} once the store can be written.
     */
    public static final String TASK_STORE_FAILED = "io/heddle/heartbeat/task/STORE_FAILED";

    public static final String SERVER_ID = "serverId";
    public static final String WORKSPACE_ID = "workspaceId";
    public static final String TASK_ID = "taskId";
    public static final String RUN_ID = "runId";
    /** What {@link #TASK_UPDATED} changed. */
    public static final String CHANGE = "change";

    private HeartbeatEvents() {}
}
