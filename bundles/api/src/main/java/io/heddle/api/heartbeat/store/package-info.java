/**
 * The heartbeat task store SPI: where the durable tasks of a workspace, their run leases and
 * their run history live. The heartbeat scheduler and the task service work against
 * {@link io.heddle.api.heartbeat.store.HeartbeatTaskStore} only.
 *
 * <p>The built-in store keeps files under each workspace's state root
 * ({@code <stateRoot>/heartbeat/}); it is used unless another bundle registers a
 * {@code HeartbeatTaskStore} service (e.g. a store shared by several servers on a database).
 * The rules every store keeps:
 * <ul>
 * <li>each due occurrence {@code (taskId, dueAt)} is claimed by at most one holder at a time,
 *     with a lease and a fencing token;</li>
 * <li>leases are timed by the store's clock: callers pass durations, never instants, so that the
 *     clocks of the servers sharing a store cannot break fencing;</li>
 * <li>an outcome is applied only from the current lease holder; a late one is recorded as
 *     {@link io.heddle.api.heartbeat.HeartbeatRunStatus#SUPERSEDED} and not applied;</li>
 * <li>every change of a task is atomic, and a store never loses a task it cannot decode: it
 *     sets it aside and reports it.</li>
 * </ul>
 * The rules of a task's life (when it is due, what a decision makes of it) stay with the
 * caller: the store applies the functions it is handed inside its atomic section.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.heddle.api.heartbeat.store;
