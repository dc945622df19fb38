package io.heddle.workspaces.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.StoreHealth;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers {@link FileWorkspaceCatalog} as the {@link WorkspaceCatalog} service, and, as a
 * {@link HealthContributor}, names the catalog folders that cannot be written now.
 */
@Component(service = {WorkspaceCatalog.class, HealthContributor.class})
public final class WorkspaceCatalogComponent implements WorkspaceCatalog, HealthContributor {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceCatalogComponent.class);
    private static final String SOURCE = "workspace-catalog";

    private final StoreHealth health = new StoreHealth(SOURCE, Clock.systemUTC(), Duration.ofSeconds(2),
            new StoreHealth.Listener() {
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
        if (health.healthy()) {
            return List.of();
        }
        List<HealthProblem> out = new ArrayList<>();
        for (StoreHealth.Problem p : health.problems()) {
            out.add(new HealthProblem(SOURCE, p.folder().toString(), p.message(), p.since()));
        }
        return out;
    }

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
