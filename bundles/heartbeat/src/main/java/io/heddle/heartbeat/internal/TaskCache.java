package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one workspace's scheduler knows of its tasks between polls. It reads the store again
 * only when the store's revision changed, a change was made in this JVM ({@link #invalidate}),
 * or the rescan interval passed (to find hand edits). Touched by the polling thread only,
 * apart from {@link #invalidate}.
 */
final class TaskCache {

    private final WorkspaceTaskStore store;
    private Map<String, HeartbeatTask> tasks = new HashMap<>();
    private String revision;
    private Instant lastScan;
    private volatile boolean reloadRequested = true;

    TaskCache(WorkspaceTaskStore store) {
        this.store = store;
    }

    /** Makes the next {@link #refresh} read the store. Any thread. */
    void invalidate() {
        reloadRequested = true;
    }

    /** Reads the store if it may have changed; true when it did read. */
    boolean refresh(Instant now, SchedulerSettings cfg) {
        String rev = store.revision();
        boolean rescanDue = lastScan == null || !now.isBefore(lastScan.plus(cfg.rescanInterval()));
        if (!reloadRequested && !rescanDue && rev.equals(revision)) {
            return false;
        }
        // The revision is read first: a write during the read then shows up as a new revision.
        reloadRequested = false;
        revision = rev;
        lastScan = now;
        Map<String, HeartbeatTask> next = new HashMap<>();
        for (HeartbeatTask t : store.list()) {
            next.put(t.id(), t);
        }
        tasks = next;
        return true;
    }

    /** The tasks as last read (and put), by id: a copy. */
    Map<String, HeartbeatTask> byId() {
        return new HashMap<>(tasks);
    }

    List<HeartbeatTask> all() {
        return new ArrayList<>(tasks.values());
    }

    Set<String> ids() {
        return tasks.keySet();
    }

    void put(HeartbeatTask t) {
        tasks.put(t.id(), t);
    }

    void remove(String taskId) {
        tasks.remove(taskId);
    }
}
