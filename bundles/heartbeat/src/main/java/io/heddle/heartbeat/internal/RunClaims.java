package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims and leases of one workspace's scheduler: a run starts only after the store granted
 * the claim of a due occurrence (still due, no live lease of another server), and its lease is
 * renewed every third of its time to live while the run lasts.
 */
final class RunClaims {

    private static final Logger LOG = LoggerFactory.getLogger(RunClaims.class);

    private final SchedulerContext ctx;
    private final WorkspaceTaskStore store;
    private final TaskCache cache;

    RunClaims(SchedulerContext ctx, WorkspaceTaskStore store, TaskCache cache) {
        this.ctx = ctx;
        this.store = store;
        this.cache = cache;
    }

    /**
     * Claims the task found due at {@code due}; answers the run to launch, or null when the
     * store refused (the task changed, or another server holds it: the next poll reads it again).
     */
    ActiveRun claim(HeartbeatTask task, Instant due, Instant now, SchedulerSettings cfg) {
        String runId = TaskIds.newRunId(now);
        HeartbeatRun[] started = new HeartbeatRun[1];
        Optional<TaskClaim> claim =
                store.claim(new ClaimRequest(task.id(), due, ctx.serverId(), runId, cfg.leaseTtl()), fresh -> {
                    if (!TaskTransitions.due(fresh, now)) {
                        return null;
                    }
                    // the run record is written by the worker as the run starts, off the timer thread
                    started[0] = TaskTransitions.startedRun(
                            fresh, runId, store.workspace().id(), ctx.serverId(), now);
                    return TaskTransitions.started(fresh, runId, now);
                });
        if (claim.isEmpty()) {
            cache.invalidate();
            return null;
        }
        cache.put(claim.get().task());
        return new ActiveRun(
                store,
                ctx.clock(),
                claim.get().task(),
                started[0],
                claim.get().lease(),
                now.plus(cfg.leaseTtl().dividedBy(3)));
    }

    /** Renews the leases that are due for it; answers {@code next}, or an earlier renewal time. */
    Instant renew(Collection<ActiveRun> runs, Instant now, SchedulerSettings cfg, Instant next) {
        for (ActiveRun a : runs) {
            if (!now.isBefore(a.leaseRenewAt)) {
                if (!a.finalized.get()) {
                    renew(a, cfg);
                }
                a.leaseRenewAt = now.plus(cfg.leaseTtl().dividedBy(3));
            }
            next = a.leaseRenewAt.isBefore(next) ? a.leaseRenewAt : next;
        }
        return next;
    }

    private void renew(ActiveRun a, SchedulerSettings cfg) {
        try {
            Optional<HeartbeatLease> renewed = store.renew(a.lease, cfg.leaseTtl());
            if (renewed.isPresent()) {
                a.lease = renewed.get();
            } else if (!a.finalized.get()) {
                LOG.warn(
                        "Workspace {}: the lease of heartbeat task {} (run {}) was taken by another server "
                                + "while this run was still going; the run is cancelled",
                        store.workspace().id(),
                        a.taskId(),
                        a.runId());
                a.cancel(); // a holder that lost its lease stops (its late result is recorded superseded)
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Workspace {}: could not renew the lease of heartbeat task {}: {}",
                    store.workspace().id(),
                    a.taskId(),
                    e.getMessage());
        }
    }
}
