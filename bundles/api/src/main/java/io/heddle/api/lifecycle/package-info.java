/**
 * The control-plane server lifecycle: one service that starts a server (HTTP bind, live
 * record, heartbeat, workspaces) and a handle that closes it again.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.heddle.api.lifecycle;
