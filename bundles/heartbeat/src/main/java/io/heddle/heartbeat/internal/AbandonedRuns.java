package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunStatus;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of runs that nobody runs any more: a task marked running whose lease expired, is
 * gone, or is a leftover of this server (which knows it does not run it). The abandoned run is
 * recorded as interrupted and the task is idle and due again; a run whose record says it ended
 * (the task's new state was lost in a crash) stays as recorded.
 */
final class AbandonedRuns {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);

    private final String serverId;
    private final WorkspaceTaskStore store;
    private final WorkspaceEvents events;
    private final TaskCache cache;
    private final Map<String, ActiveRun> active;

    AbandonedRuns(
            String serverId,
            WorkspaceTaskStore store,
            WorkspaceEvents events,
            TaskCache cache,
            Map<String, ActiveRun> active) {
        this.serverId = serverId;
        this.store = store;
        this.events = events;
        this.cache = cache;
        this.active = active;
    }

    /** What a recovery found: the run had ended already, or it is recorded as interrupted now. */
    private enum Found {
        ENDED,
        INTERRUPTED
    }

    /**
     * Recovers the task if its run is abandoned; answers the task as it is now, or null when it
     * is still someone's run (or cannot be checked now).
     */
    HeartbeatTask recoverIfAbandoned(String taskId, Instant now) {
        Found[] found = new Found[1];
        String[] why = new String[1];
        String[] owner = new String[1];
        Optional<WorkspaceTaskStore.Recovered> recovered;
        try {
            recovered = store.recover(taskId, serverId, (task, lapsed, run) -> {
                if (active.containsKey(taskId)) {
                    return null; // our own run, between its claim and its outcome
                }
                WorkspaceTaskStore.Recovered r = recovery(task, lapsed, run, now);
                found[0] = r.run() == null && run != null ? Found.ENDED : Found.INTERRUPTED;
                why[0] = r.task().state().error();
                owner[0] = ownerOf(lapsed);
                return r;
            });
        } catch (RuntimeException e) {
            LOG.warn(
                    "Workspace {}: could not check the lease of heartbeat task {}: {}",
                    store.workspace().id(),
                    taskId,
                    e.getMessage());
            return null;
        }
        if (recovered.isEmpty()) {
            return null;
        }
        HeartbeatTask t = recovered.get().task();
        cache.put(t);
        String runId = t.state().lastRunId();
        if (found[0] == Found.ENDED) {
            LOG.warn(
                    "Workspace {}: heartbeat task {} still read as running after its run {} had ended; "
                            + "it is idle again",
                    store.workspace().id(),
                    taskId,
                    runId);
        } else {
            LOG.warn(
                    "Workspace {}: heartbeat task {} was left running by server {}; recorded run {} as interrupted",
                    store.workspace().id(),
                    taskId,
                    owner[0],
                    runId);
            events.post(
                    HeartbeatEvents.TASK_FAILED,
                    taskId,
                    runId,
                    "error",
                    why[0],
                    "interrupted",
                    true,
                    "status",
                    t.state().status().wireName());
        }
        return t;
    }

    /** The rule: what becomes of an abandoned task and of its run record. */
    WorkspaceTaskStore.Recovered recovery(HeartbeatTask t, HeartbeatLease lapsed, HeartbeatRun run, Instant now) {
        String runId = t.state().lastRunId();
        String owner = ownerOf(lapsed);
        String why = "interrupted: server " + owner + " stopped answering during run " + runId
                + " (its lease expired); the task runs again";
        if (runId != null && run != null && run.status() != HeartbeatRunStatus.RUNNING) {
            return new WorkspaceTaskStore.Recovered(TaskTransitions.interrupted(t, null, null, now), null);
        }
        HeartbeatRun record = null;
        Instant requestedAt = null;
        if (runId != null && run == null) {
            // the owner stopped before it wrote the run record: record the run from the task's state
            record = new HeartbeatRun(
                    runId,
                    t.id(),
                    store.workspace().id(),
                    owner,
                    t.runner(),
                    null,
                    null,
                    t.state().runAt(),
                    now,
                    HeartbeatRunStatus.INTERRUPTED,
                    null,
                    null,
                    null,
                    why);
        } else if (runId != null) {
            record = RunOutcomes.ended(run, HeartbeatRunStatus.INTERRUPTED, null, why, null, now);
            if (TaskTransitions.TRIGGER_REQUEST.equals(run.trigger())) {
                requestedAt = run.dueAt();
            }
        }
        return new WorkspaceTaskStore.Recovered(TaskTransitions.interrupted(t, why, requestedAt, now), record);
    }

    private static String ownerOf(HeartbeatLease lapsed) {
        return lapsed == null ? "(unknown)" : lapsed.owner();
    }
}
