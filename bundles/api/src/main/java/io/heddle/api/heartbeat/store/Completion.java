package io.heddle.api.heartbeat.store;

import io.heddle.api.heartbeat.HeartbeatTask;
import java.util.Objects;

/**
 * What became of an outcome handed to {@link WorkspaceTaskStore#complete}.
 *
 * @param result whether it was applied
 * @param task           the task as stored afterwards; null when it was deleted
 * @param runNotRecorded why the run record could not be stored although the task change was,
 *                       or null (stores that store both at once never set it)
 */
public record Completion(Result result, HeartbeatTask task, String runNotRecorded) {

    public enum Result {
        /** The caller held the current lease: the run is recorded and the task changed. */
        APPLIED,
        /** Another claim replaced the caller's (its lease lapsed): the run is recorded as superseded, the task untouched. */
        SUPERSEDED,
        /** The task was deleted while it ran: nothing is recorded. */
        TASK_DELETED
    }

    public Completion {
        Objects.requireNonNull(result, "result");
    }

    /** A completion whose run record was stored with it. */
    public Completion(Result result, HeartbeatTask task) {
        this(result, task, null);
    }
}
