/**
 * The per-user daemon registry: which control-plane server is live on this machine, and
 * which workspaces are known. See {@link io.heddle.api.registry.DaemonRegistry}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.heddle.api.registry;
