/**
 * Heartbeats: the live-record heartbeat that keeps a server's registry record fresh, and the
 * heartbeat task scheduler: durable per-workspace tasks ({@link io.heddle.api.heartbeat.HeartbeatTask}),
 * their run history ({@link io.heddle.api.heartbeat.HeartbeatRun}), the task service the HTTP
 * API uses ({@link io.heddle.api.heartbeat.HeartbeatTasks}), the scheduler host the lifecycle
 * drives ({@link io.heddle.api.heartbeat.HeartbeatSchedulerHost}), and the runner SPI that
 * bundles implement to add a kind of task ({@link io.heddle.api.heartbeat.HeartbeatTaskRunner}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.heddle.api.heartbeat;
