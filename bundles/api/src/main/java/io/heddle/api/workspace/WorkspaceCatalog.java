package io.heddle.api.workspace;

import java.nio.file.Path;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The per-workspace catalog. Every method takes the state root whose
 * {@code workspaces.catalog.json} it works on. Writes are atomic and locked; reads are
 * tolerant (a corrupt catalog is set aside, never silently dropped).
 *
 * <p>Workspace ids are derived from the workspace root, so they are stable across restarts
 * and even across a lost catalog.
 *
 * <p>Failures to read or write throw {@link WorkspaceCatalogException}.
 */
@ProviderType
public interface WorkspaceCatalog {

    /** The catalog file name inside a state root. */
    String CATALOG_FILE = "workspaces.catalog.json";

    /**
     * Makes sure the catalog exists and holds the workspace at {@code workspaceRoot}; creates
     * it with that one workspace (active) on first use.
     */
    CatalogSnapshot ensure(Path workspaceRoot, Path stateRoot);

    /** The catalog as it is (empty when it does not exist yet). */
    CatalogSnapshot read(Path stateRoot);

    Optional<WorkspaceDescriptor> resolve(Path stateRoot, String workspaceId);

    /** @throws java.util.NoSuchElementException when the id is not in the catalog */
    CatalogSnapshot setActive(Path stateRoot, String workspaceId);

    /** @throws java.util.NoSuchElementException when the id is not in the catalog */
    WorkspaceDescriptor rename(Path stateRoot, String workspaceId, String name);

    /**
     * Sets the key a shared task store files the workspace's tasks under ({@code null}: derive it
     * from the folder again). Kept in the catalog entry as the member {@code workspaceKey}, which
     * catalogs that do not know it keep as it is.
     *
     * @throws java.util.NoSuchElementException when the id is not in the catalog
     */
    WorkspaceDescriptor setWorkspaceKey(Path stateRoot, String workspaceId, String workspaceKey);

    /**
     * Adds the workspace at {@code workspaceRoot} (its own state root is
     * {@code <workspaceRoot>/<stateDirName>}); answers the existing descriptor if it is
     * already known.
     */
    WorkspaceDescriptor create(Path stateRoot, Path workspaceRoot, String name, String stateDirName);
}
