package io.heddle.registry.internal;

import io.heddle.api.health.HealthContributor;
import io.heddle.api.health.HealthProblem;
import io.heddle.api.heartbeat.LiveRecordSettings;
import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.ClearResult;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ReleaseResult;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.HeddleHome;
import io.heddle.storage.internal.StoreHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers the user's registry ({@code <heddle.home>/daemon-registry.json}) as the
 * {@link DaemonRegistry} service. Staleness comes from the {@code io.heddle.heartbeat}
 * configuration, the same one the live-record heartbeat reads, so that servers and the
 * launcher agree on what "fresh" means.
 */
@Component(
        service = {DaemonRegistry.class, HealthContributor.class},
        configurationPid = LiveRecordSettings.PID)
@Designate(ocd = DaemonRegistryComponent.Configuration.class)
public final class DaemonRegistryComponent implements DaemonRegistry, HealthContributor {

    @ObjectClassDefinition(
            name = "Heddle live-record heartbeat",
            description = "How often a server refreshes its live record, and when a record counts as stale.")
    @interface Configuration {
        @AttributeDefinition(description = "Live-record heartbeat interval in milliseconds.")
        long intervalMs() default LiveRecordSettings.DEFAULT_INTERVAL_MS;

        @AttributeDefinition(description = "A record whose last heartbeat is older than this is stale.")
        long staleAfterMs() default LiveRecordSettings.DEFAULT_STALE_AFTER_MS;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DaemonRegistryComponent.class);

    private static final String SOURCE = "registry";

    private final Path registryFile;
    private volatile FileDaemonRegistry delegate;
    /** Whether the registry's folder can be written; read by {@code /api/health}. */
    private final StoreHealth health =
            new StoreHealth(SOURCE, java.time.Clock.systemUTC(), Duration.ofSeconds(2), new StoreHealth.Listener() {
                @Override
                public void unwritable(StoreHealth.Problem problem) {
                    LOG.warn("{}. Health is degraded until it can be written again.", problem.message());
                }

                @Override
                public void writableAgain(StoreHealth.Problem resolved) {
                    LOG.info("The registry folder {} can be written again", resolved.folder());
                }
            });

    @Activate
    public DaemonRegistryComponent(BundleContext context, Configuration config) {
        this.registryFile = HeddleHome.resolve(context::getProperty).resolve(HeddleHome.REGISTRY_FILE);
        this.delegate = create(config);
    }

    @Modified
    void modified(Configuration config) {
        this.delegate = create(config);
    }

    private FileDaemonRegistry create(Configuration config) {
        Duration staleAfter = Duration.ofMillis(
                config.staleAfterMs() > 0 ? config.staleAfterMs() : LiveRecordSettings.DEFAULT_STALE_AFTER_MS);
        return FileDaemonRegistry.open(registryFile, staleAfter, message -> LOG.warn("Registry: {}", message))
                .reportingTo(health);
    }

    @Deactivate
    void deactivate() {
        health.close();
    }

    @Override
    public List<HealthProblem> problems() {
        return health.healthProblems();
    }

    @Override
    public Path path() {
        return delegate.path();
    }

    @Override
    public Duration staleAfter() {
        return delegate.staleAfter();
    }

    @Override
    public RegistrySnapshot read() {
        return delegate.read();
    }

    @Override
    public Optional<LiveServer> resolveLiveServer() {
        return delegate.resolveLiveServer();
    }

    @Override
    public LiveServer judge(ServerRecord record) {
        return delegate.judge(record);
    }

    @Override
    public ClaimResult claim(ServerRecord record) {
        return delegate.claim(record);
    }

    @Override
    public Optional<ServerRecord> takeOver(ServerRecord record) {
        return delegate.takeOver(record);
    }

    @Override
    public RefreshResult refresh(String serverId, Instant lastSeenAt) {
        return delegate.refresh(serverId, lastSeenAt);
    }

    @Override
    public ClearResult clear(String serverId) {
        return delegate.clear(serverId);
    }

    @Override
    public ReleaseResult release(String serverId, Optional<ServerRecord> previous) {
        return delegate.release(serverId, previous);
    }

    @Override
    public void registerWorkspaces(Collection<WorkspaceDescriptor> workspaces) {
        delegate.registerWorkspaces(workspaces);
    }

    @Override
    public DaemonRegistry forFile(Path file) {
        return delegate.forFile(file);
    }
}
