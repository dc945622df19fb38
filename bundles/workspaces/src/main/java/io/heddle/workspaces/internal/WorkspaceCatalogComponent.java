package io.heddle.workspaces.internal;

import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.api.workspace.WorkspaceEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link FileWorkspaceCatalog} as the {@link WorkspaceCatalog} service, and posts each
 * change made through it as {@link WorkspaceEvents#CHANGED} (when Event Admin runs).
 */
@Component(service = WorkspaceCatalog.class)
public final class WorkspaceCatalogComponent implements WorkspaceCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCatalogComponent.class);

    private final FileWorkspaceCatalog catalog =
            new FileWorkspaceCatalog(Clock.systemUTC(), message -> LOG.warn("Workspace catalog: {}", message));

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

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
        CatalogSnapshot snapshot = catalog.setActive(stateRoot, workspaceId);
        changed(WorkspaceEvents.ACTIVATED, stateRoot, workspaceId, null);
        return snapshot;
    }

    @Override
    public WorkspaceDescriptor rename(Path stateRoot, String workspaceId, String name) {
        WorkspaceDescriptor renamed = catalog.rename(stateRoot, workspaceId, name);
        changed(WorkspaceEvents.RENAMED, stateRoot, renamed.id(), renamed.name());
        return renamed;
    }

    @Override
    public WorkspaceDescriptor create(Path stateRoot, Path workspaceRoot, String name, String stateDirName) {
        WorkspaceDescriptor created = catalog.create(stateRoot, workspaceRoot, name, stateDirName);
        changed(WorkspaceEvents.CREATED, stateRoot, created.id(), created.name());
        return created;
    }

    private void changed(String change, Path stateRoot, String workspaceId, String name) {
        EventAdmin events = eventAdmin;
        if (events == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(WorkspaceEvents.CHANGE, change);
        props.put(WorkspaceEvents.WORKSPACE_ID, workspaceId);
        props.put(WorkspaceEvents.STATE_ROOT, stateRoot.toAbsolutePath().normalize().toString());
        if (name != null) {
            props.put(WorkspaceEvents.NAME, name);
        }
        try {
            events.postEvent(new Event(WorkspaceEvents.CHANGED, props));
        } catch (RuntimeException e) {
            LOG.debug("Could not post {}: {}", WorkspaceEvents.CHANGED, e.toString());
        }
    }
}
