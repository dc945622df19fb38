/**
 * Workspaces: their descriptors and the per-workspace catalog.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.heddle.api.workspace;
