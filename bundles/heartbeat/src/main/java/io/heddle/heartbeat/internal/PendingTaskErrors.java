package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskError;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures to record a task's run or state: logged and posted once per episode, and kept to
 * be written into the task's {@code state.lastError} once the store can be written.
 */
final class PendingTaskErrors {

    private static final Logger LOG = LoggerFactory.getLogger(PendingTaskErrors.class);

    private final WorkspaceTaskStore store;
    private final WorkspaceEvents events;
    private final Clock clock;
    private final ConcurrentMap<String, HeartbeatTaskError> pending = new ConcurrentHashMap<>();

    PendingTaskErrors(WorkspaceTaskStore store, WorkspaceEvents events, Clock clock) {
        this.store = store;
        this.events = events;
        this.clock = clock;
    }

    /** A task's run or state could not be recorded. Any thread. */
    void storeFailed(String taskId, String runId, String message) {
        HeartbeatTaskError error = new HeartbeatTaskError(clock.instant(), message);
        if (pending.put(taskId, error) == null) {
            LOG.warn(
                    "Workspace {}: heartbeat task {}{}: {}",
                    store.workspace().id(),
                    taskId,
                    runId == null ? "" : " (run " + runId + ")",
                    message);
            events.post(HeartbeatEvents.TASK_STORE_FAILED, taskId, runId, "error", message);
        }
    }

    /**
     * The failure of a task is over before it was written (a result that waited for the store
     * was recorded after all): nothing is written into the task. Any thread.
     */
    void resolved(String taskId) {
        pending.remove(taskId);
    }

    /** Writes the pending failures into their tasks' state; those that still cannot be written wait. */
    void record(TaskCache cache) {
        if (pending.isEmpty()) {
            return;
        }
        for (Map.Entry<String, HeartbeatTaskError> e : new ArrayList<>(pending.entrySet())) {
            String taskId = e.getKey();
            try {
                Optional<HeartbeatTask> written =
                        store.update(taskId, t -> t.withState(t.state().withLastError(e.getValue())));
                pending.remove(taskId, e.getValue());
                written.ifPresentOrElse(cache::put, () -> cache.remove(taskId));
            } catch (RuntimeException stillFailing) {
                // the store is still unwritable: health says so; try again at the next poll
            }
        }
    }
}
