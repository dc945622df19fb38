package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.store.ClaimRequest;
import io.heddle.api.heartbeat.store.Completion;
import io.heddle.api.heartbeat.store.HeartbeatLease;
import io.heddle.api.heartbeat.store.TaskClaim;
import io.heddle.api.heartbeat.store.TaskWorkspace;
import io.heddle.api.heartbeat.store.WorkspaceTaskStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A real workspace store (the file store) behind a switch that makes it unreachable, as a
 * shared store is while its database is down: every call then throws what such a store throws.
 */
final class OutageTaskStore implements WorkspaceTaskStore {

    private final WorkspaceTaskStore real;
    volatile boolean down;
    /** Calls of {@link #complete}, answered or not. */
    final AtomicInteger completeCalls = new AtomicInteger();

    OutageTaskStore(WorkspaceTaskStore real) {
        this.real = real;
    }

    private void reachable() {
        if (down) {
            throw new UncheckedIOException(new IOException("Connection refused (the test's database is down)"));
        }
    }

    @Override
    public TaskWorkspace workspace() {
        return real.workspace();
    }

    @Override
    public String revision() {
        reachable();
        return real.revision();
    }

    @Override
    public List<HeartbeatTask> list() {
        reachable();
        return real.list();
    }

    @Override
    public Optional<HeartbeatTask> get(String taskId) {
        reachable();
        return real.get(taskId);
    }

    @Override
    public HeartbeatTask create(HeartbeatTask task) {
        reachable();
        return real.create(task);
    }

    @Override
    public Optional<HeartbeatTask> update(String taskId, UnaryOperator<HeartbeatTask> change) {
        reachable();
        return real.update(taskId, change);
    }

    @Override
    public boolean delete(String taskId) {
        reachable();
        return real.delete(taskId);
    }

    @Override
    public Optional<TaskClaim> claim(ClaimRequest request, UnaryOperator<HeartbeatTask> start) {
        reachable();
        return real.claim(request, start);
    }

    @Override
    public void started(HeartbeatLease lease, HeartbeatRun run) {
        reachable();
        real.started(lease, run);
    }

    @Override
    public Optional<HeartbeatLease> renew(HeartbeatLease lease, Duration ttl) {
        reachable();
        return real.renew(lease, ttl);
    }

    @Override
    public Completion complete(HeartbeatLease lease, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome) {
        completeCalls.incrementAndGet();
        reachable();
        return real.complete(lease, run, outcome);
    }

    @Override
    public Optional<Recovered> recover(String taskId, String recoverer, Recovery recovery) {
        reachable();
        return real.recover(taskId, recoverer, recovery);
    }

    @Override
    public List<HeartbeatRun> runs(String taskId) {
        reachable();
        return real.runs(taskId);
    }

    @Override
    public Optional<HeartbeatRun> run(String taskId, String runId) {
        reachable();
        return real.run(taskId, runId);
    }

    @Override
    public int retainRuns(String taskId, int keep) {
        reachable();
        return real.retainRuns(taskId, keep);
    }
}
