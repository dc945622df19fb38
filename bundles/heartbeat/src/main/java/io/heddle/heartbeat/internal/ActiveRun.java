package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskState;
import io.heddle.api.heartbeat.HeartbeatTaskStatus;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** One run in progress under its lease; also what the runner sees of it. */
final class ActiveRun implements HeartbeatRunContext {

    final HeartbeatTask task;
    final HeartbeatRun run;
    /** Set once, by whoever records the outcome (the worker, or a stopping session). */
    final AtomicBoolean finalized = new AtomicBoolean();

    volatile HeartbeatLease lease;
    volatile Instant leaseRenewAt;
    volatile boolean cancelled;
    private final WorkspaceTaskStore store;
    private final Clock clock;
    private Thread thread;

    ActiveRun(
            WorkspaceTaskStore store,
            Clock clock,
            HeartbeatTask task,
            HeartbeatRun run,
            HeartbeatLease lease,
            Instant leaseRenewAt) {
        this.store = store;
        this.clock = clock;
        this.task = task;
        this.run = run;
        this.lease = lease;
        this.leaseRenewAt = leaseRenewAt;
    }

    String taskId() {
        return task.id();
    }

    synchronized void enter(Thread runner) {
        thread = runner;
    }

    /** The runner returned: no interrupt may reach this thread any more (a late one is cleared). */
    synchronized void leave() {
        thread = null;
        Thread.interrupted();
    }

    /** Interrupts the runner only while it runs, never the recording of its outcome. */
    synchronized void cancel() {
        cancelled = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String serverId() {
        return run.serverId();
    }

    @Override
    public String workspaceId() {
        return store.workspace().id();
    }

    @Override
    public Path workspaceRoot() {
        return store.workspace().workspaceRoot();
    }

    @Override
    public Path stateRoot() {
        return store.workspace().stateRoot();
    }

    @Override
    public HeartbeatTask task() {
        return task;
    }

    @Override
    public String runId() {
        return run.id();
    }

    @Override
    public void progress(String message) {
        if (finalized.get()) {
            return;
        }
        Instant now = clock.instant();
        store.update(task.id(), current -> {
            HeartbeatTaskState s = current.state();
            if (s.status() != HeartbeatTaskStatus.RUNNING || !run.id().equals(s.lastRunId()) || finalized.get()) {
                return current;
            }
            return current.withState(new HeartbeatTaskState(
                    s.status(),
                    message,
                    s.runAt(),
                    s.result(),
                    s.error(),
                    now,
                    s.needs(),
                    s.message(),
                    s.failures(),
                    s.lastRunId(),
                    s.runRequestedAt(),
                    s.lastError()));
        });
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }
}
