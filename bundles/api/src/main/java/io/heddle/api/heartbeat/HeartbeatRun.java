package io.heddle.api.heartbeat;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a task, stored as {@code <stateRoot>/heartbeat/runs/<taskId>/<runId>.json}. Run
 * ids sort by start time.
 *
 * @param id          the run id
 * @param taskId      the task it belongs to
 * @param workspaceId the workspace of the task
 * @param serverId    the server whose scheduler ran it
 * @param runner      the runner kind
 * @param trigger     {@code schedule} (its slot came) or {@code request} (run-now or resume)
 * @param dueAt       the slot (or request time) the run answered
 * @param startedAt   when it started
 * @param finishedAt  when it ended, or null while running
 * @param status      how it ended
 * @param decision    the runner's decision, or null when it did not decide
 * @param summary     the runner's summary, or null
 * @param details     the runner's details (a JSON object), empty when none
 * @param error       why it failed or was interrupted, or null
 */
public record HeartbeatRun(
        String id,
        String taskId,
        String workspaceId,
        String serverId,
        String runner,
        String trigger,
        Instant dueAt,
        Instant startedAt,
        Instant finishedAt,
        HeartbeatRunStatus status,
        HeartbeatDecision decision,
        String summary,
        Map<String, Object> details,
        String error) {

    public HeartbeatRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** This run with another status, e.g. a late result of a superseded lease holder ({@link HeartbeatRunStatus#SUPERSEDED}). */
    public HeartbeatRun withStatus(HeartbeatRunStatus next) {
        return new HeartbeatRun(
                id,
                taskId,
                workspaceId,
                serverId,
                runner,
                trigger,
                dueAt,
                startedAt,
                finishedAt,
                next,
                decision,
                summary,
                details,
                error);
    }

    /** This run as a server whose catalog gives the workspace the id {@code id} sees it. */
    public HeartbeatRun inWorkspace(String id) {
        return new HeartbeatRun(
                this.id,
                taskId,
                id,
                serverId,
                runner,
                trigger,
                dueAt,
                startedAt,
                finishedAt,
                status,
                decision,
                summary,
                details,
                error);
    }
}
