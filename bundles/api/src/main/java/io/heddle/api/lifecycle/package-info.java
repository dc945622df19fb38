/**
 * The control-plane server lifecycle: one service that starts a server (HTTP bind, live
 * record, heartbeat, workspaces) and a handle that closes it again; and the JSON error shape
 * the servlets on its {@code heddle} context answer with ({@link io.heddle.api.lifecycle.ErrorEnvelope}, since 1.3).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.heddle.api.lifecycle;
