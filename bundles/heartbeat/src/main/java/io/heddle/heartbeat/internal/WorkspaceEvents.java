package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatEvents;
import java.util.LinkedHashMap;
import java.util.Map;

/** The task and run events of one workspace's scheduler, with the server and workspace named. */
final class WorkspaceEvents {

    private final SchedulerEvents events;
    private final String serverId;
    private final String workspaceId;

    WorkspaceEvents(SchedulerEvents events, String serverId, String workspaceId) {
        this.events = events;
        this.serverId = serverId;
        this.workspaceId = workspaceId;
    }

    /** Posts {@code topic} about a task (and run, when not null); {@code extra} are name/value pairs, null values left out. */
    void post(String topic, String taskId, String runId, Object... extra) {
        events.post(topic, props(taskId, runId, extra));
    }

    Map<String, Object> props(String taskId, String runId, Object... extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(HeartbeatEvents.SERVER_ID, serverId);
        p.put(HeartbeatEvents.WORKSPACE_ID, workspaceId);
        p.put(HeartbeatEvents.TASK_ID, taskId);
        if (runId != null) {
            p.put(HeartbeatEvents.RUN_ID, runId);
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            if (extra[i + 1] != null) {
                p.put((String) extra[i], extra[i + 1]);
            }
        }
        return p;
    }
}
