/**
 * Heartbeats: the live-record heartbeat that keeps a server's registry record fresh, and the
 * heartbeat task scheduler: durable per-workspace tasks ({@link io.heddle.api.heartbeat.HeartbeatTask}),
 * their run history ({@link io.heddle.api.heartbeat.HeartbeatRun}), the task service the HTTP
 * API uses ({@link io.heddle.api.heartbeat.HeartbeatTasks}), the scheduler host the lifecycle
 * drives ({@link io.heddle.api.heartbeat.HeartbeatSchedulerHost}), and the runner SPI that
 * bundles implement to add a kind of task ({@link io.heddle.api.heartbeat.HeartbeatTaskRunner}).
 * Where the tasks are kept is the task store SPI of {@code io.heddle.api.heartbeat.store}.
 *
 * <p>Version 2.0 is the one major change of this package for shared task stores: runs may end
 * {@link io.heddle.api.heartbeat.HeartbeatRunStatus#SUPERSEDED} (code that switches over the run
 * statuses must handle it), and {@link io.heddle.api.heartbeat.HeartbeatTasks} works on the
 * workspace's task store, which is not always the workspace's files. The task fields of 1.2 and
 * 1.3 ({@code extraFields}, {@code state.lastError}) and the live-record settings and events of
 * 1.4 ({@link io.heddle.api.heartbeat.LiveRecordSettings}, {@link io.heddle.api.heartbeat.LiveRecordEvents})
 * are part of it, as are {@code HeartbeatTasks.store()} and {@code fileTasksWaiting} (the store
 * in use, and the task files a shared store leaves waiting), and {@code exportTasks} and
 * {@code importTasks} (moving tasks between the files and a shared store).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.heddle.api.heartbeat;
