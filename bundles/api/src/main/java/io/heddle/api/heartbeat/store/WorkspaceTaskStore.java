package io.heddle.api.heartbeat.store;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.api.heartbeat.HeartbeatTaskConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The tasks, leases and run history of one workspace in a {@link HeartbeatTaskStore}.
 *
 * <p>Every method is atomic against every other caller, in this process and in any other
 * server sharing the store. Functions handed in ({@code change}, {@code start},
 * {@code outcome}, {@link Recovery}) run inside that atomic section: they must be quick and
 * must not call the store; one that throws aborts the call with nothing written, and the
 * exception reaches the caller. A store that cannot be reached throws
 * {@link java.io.UncheckedIOException} naming the cause.
 *
 * <p>Unknown ids answer empty (or false); a task that cannot be decoded is set aside, reported,
 * and left out.
 */
@ConsumerType
public interface WorkspaceTaskStore {

    TaskWorkspace workspace();

    /**
     * A token that changes whenever a task of the workspace is written or deleted, by anyone.
     * Cheap: pollers call it every poll and re-read the tasks only when it changed.
     */
    String revision();

    // --- tasks ---

    /** The tasks of the workspace, by id. */
    List<HeartbeatTask> list();

    Optional<HeartbeatTask> get(String taskId);

    /**
     * Stores a new task.
     *
     * @throws HeartbeatTaskConflictException when a task with its id exists already
     */
    HeartbeatTask create(HeartbeatTask task);

    /**
     * Stores new tasks, all or none: when one cannot be stored (its id exists, or the store
     * fails), none of them is left stored and the exception reaches the caller. A store that can
     * do it in one transaction overrides this; the default creates them one by one and deletes
     * those it created when one fails.
     *
     * @return the tasks as stored, in order
     * @throws HeartbeatTaskConflictException when a task with one of their ids exists already
     * @since 1.1
     */
    default List<HeartbeatTask> createAll(List<HeartbeatTask> tasks) {
        List<HeartbeatTask> created = new ArrayList<>();
        try {
            for (HeartbeatTask t : tasks) {
                created.add(create(t));
            }
        } catch (RuntimeException e) {
            for (HeartbeatTask t : created) {
                try {
                    delete(t.id());
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        return created;
    }

    /**
     * Changes a task atomically: {@code change} gets the task as stored now and answers the task
     * to store (the same instance: nothing is written).
     *
     * @return the task as stored afterwards; empty when there is no such task
     */
    Optional<HeartbeatTask> update(String taskId, UnaryOperator<HeartbeatTask> change);

    /** Deletes a task, its lease and its run history; false when there was no such task. */
    boolean delete(String taskId);

    // --- claims and leases ---

    /**
     * Claims one due occurrence: granted only if the task still exists, is not running under a
     * live lease of another holder, and is still due at {@code request.dueAt()}; {@code start}
     * then gets the task and answers it as running (or null: not due after all, nothing is
     * written). The lease, with a new fencing token, and the running task are stored together.
     *
     * @return the claim, or empty when refused
     */
    Optional<TaskClaim> claim(ClaimRequest request, UnaryOperator<HeartbeatTask> start);

    /**
     * Records the run of a granted claim as started (status running), and makes the claim
     * durable if {@link #claim} did not. Called by the worker before the runner starts.
     */
    void started(HeartbeatLease lease, HeartbeatRun run);

    /**
     * Extends a lease by {@code ttl} from now by the store's clock.
     *
     * @return the renewed lease; empty when the caller no longer holds it (another holder
     *         claimed the task after the lease lapsed): the caller should cancel its run
     */
    Optional<HeartbeatLease> renew(HeartbeatLease lease, Duration ttl);

    /**
     * Records the end of a run. If {@code lease} is still the task's current claim (same fencing
     * token), stores {@code run} and the task as {@code outcome} makes it, and releases the
     * lease ({@link Completion.Result#APPLIED}). If another claim replaced it, stores {@code run}
     * with status {@code superseded} and leaves the task alone
     * ({@link Completion.Result#SUPERSEDED}). If the task was deleted, records nothing.
     * A store that keeps the run record apart from the task (the file store) applies the task
     * change even when the run record cannot be stored, and says so in
     * {@link Completion#runNotRecorded()}.
     */
    Completion complete(HeartbeatLease lease, HeartbeatRun run, UnaryOperator<HeartbeatTask> outcome);

    /**
     * Takes over a task left running under a lease that expired (by the store's clock), is gone,
     * or is held by {@code recoverer} itself (a server that restarted and knows it runs nothing):
     * {@code recovery} decides what becomes of the task and of its run; the store writes both
     * (the run first) and drops the lapsed lease. Nothing happens when the task is not running,
     * or another server's lease on it is live, or {@code recovery} answers null.
     *
     * @param recoverer the server id of the caller
     * @return what was stored; empty when nothing was recovered
     */
    Optional<Recovered> recover(String taskId, String recoverer, Recovery recovery);

    /** What becomes of an abandoned run; runs inside the store's atomic section. */
    @FunctionalInterface
    interface Recovery {
        /**
         * @param task   the task, still marked running
         * @param lapsed its lapsed lease, or null when there is none
         * @param run    the record of the run it was left running with, or null when there is none
         * @return the task and the run record to store (the run may be null: keep the record as
         *         it is), or null to leave everything as it is
         */
        Recovered recover(HeartbeatTask task, HeartbeatLease lapsed, HeartbeatRun run);
    }

    /**
     * @param task the task as stored by the recovery
     * @param run  the run record stored by the recovery, or null when the record was kept
     */
    record Recovered(HeartbeatTask task, HeartbeatRun run) {}

    // --- run history ---

    /** The run history of a task, newest first. */
    List<HeartbeatRun> runs(String taskId);

    Optional<HeartbeatRun> run(String taskId, String runId);

    /** Keeps the newest {@code keep} runs of a task (never one still running); answers how many went. */
    int retainRuns(String taskId, int keep);
}
