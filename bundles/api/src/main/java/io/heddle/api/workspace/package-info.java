/**
 * Workspaces: their descriptors and the per-workspace catalog.
 *
 * <p>1.2: a workspace's own task store key ({@code WorkspaceDescriptor.workspaceKey},
 * {@code WorkspaceCatalog.setWorkspaceKey}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.heddle.api.workspace;
