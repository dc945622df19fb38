/**
 * Heartbeats: the live-record heartbeat that keeps a server's registry record fresh, and the
 * heartbeat task scheduler host that runs each workspace's scheduled tasks.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.heddle.api.heartbeat;
