package io.heddle.workspaces.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.api.workspace.WorkspaceEvents;
import io.heddle.storage.internal.StoreHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link FileWorkspaceCatalog} as the {@link WorkspaceCatalog} service, posts each
 * change made through it as {@link WorkspaceEvents#CHANGED} (when Event Admin runs), and, as a
 * {@link HealthContributor}, names the catalog folders that cannot be written now.
 */
@Component(service = {WorkspaceCatalog.class, HealthContributor.class})
public final class WorkspaceCatalogComponent implements WorkspaceCatalog, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCatalogComponent.class);
    private static final String SOURCE = "workspace-catalog";

    private final StoreHealth health =
            new StoreHealth(SOURCE, Clock.systemUTC(), Duration.ofSeconds(2), new StoreHealth.Listener() {
                @Override
                public void unwritable(StoreHealth.Problem problem) {
                    LOG.warn("{}. Health is degraded until it can be written again.", problem.message());
                }

                @Override
                public void writableAgain(StoreHealth.Problem resolved) {
                    LOG.info("The workspace catalog folder {} can be written again", resolved.folder());
                }
            });
    private final FileWorkspaceCatalog catalog =
            new FileWorkspaceCatalog(Clock.systemUTC(), message -> LOG.warn("Workspace catalog: {}", message), health);

    @Deactivate
    void deactivate() {
        health.close();
    }

    @Override
    public List<HealthProblem> problems() {
        return health.healthProblems();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
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
    public WorkspaceDescriptor setWorkspaceKey(Path stateRoot, String workspaceId, String workspaceKey) {
        WorkspaceDescriptor keyed = catalog.setWorkspaceKey(stateRoot, workspaceId, workspaceKey);
        changed(WorkspaceEvents.KEY_SET, stateRoot, keyed.id(), keyed.name());
        return keyed;
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
        props.put(
                WorkspaceEvents.STATE_ROOT,
                stateRoot.toAbsolutePath().normalize().toString());
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
