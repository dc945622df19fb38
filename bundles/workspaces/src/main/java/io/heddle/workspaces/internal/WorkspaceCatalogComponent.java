package io.heddle.workspaces.internal;

import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Offers {@link FileWorkspaceCatalog} as the {@link WorkspaceCatalog} service. */
@Component(service = WorkspaceCatalog.class)
public final class WorkspaceCatalogComponent implements WorkspaceCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCatalogComponent.class);

    private final FileWorkspaceCatalog catalog =
            new FileWorkspaceCatalog(Clock.systemUTC(), message -> LOG.warn("Workspace catalog: {}", message));

    @Override
    public CatalogSnapshot ensure(Path workspaceRoot, Path stateRoot) {
        return catalog.ensure(workspaceRoot, stateRoot);
    }

    @Override
    public CatalogSnapshot read(Path stateRoot) {
        return catalog.read(stateRoot);
    }

    @Override
    public Optional<WorkspaceDescriptor> resolve(Path stateRoot, String workspaceId) {
        return catalog.resolve(stateRoot, workspaceId);
    }

    @Override
    public CatalogSnapshot setActive(Path stateRoot, String workspaceId) {
        return catalog.setActive(stateRoot, workspaceId);
    }

    @Override
    public WorkspaceDescriptor rename(Path stateRoot, String workspaceId, String name) {
        return catalog.rename(stateRoot, workspaceId, name);
    }

    @Override
    public WorkspaceDescriptor create(Path stateRoot, Path workspaceRoot, String name, String stateDirName) {
        return catalog.create(stateRoot, workspaceRoot, name, stateDirName);
    }
}
