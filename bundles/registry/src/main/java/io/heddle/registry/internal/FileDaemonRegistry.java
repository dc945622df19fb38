package io.heddle.registry.internal;

import io.heddle.api.heartbeat.LiveRecordSettings;
import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.ClearResult;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ReleaseResult;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.registry.WorkspaceEntry;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.storage.internal.LockedJsonFile;
import io.heddle.storage.internal.LockedJsonFile.Change;
import io.heddle.storage.internal.LockedStore;
import io.heddle.storage.internal.StoreHealth;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The file-backed {@link DaemonRegistry}. Plain Java: the launcher uses it before any
 * framework exists, and {@link DaemonRegistryComponent} offers it as a service.
 *
 * <p>The file is a {@link LockedJsonFile}: every read-modify-write holds the lock on
 * {@code daemon-registry.lock} and ends in an atomic replace. Plain reads take no lock: an
 * atomic replace means a reader sees a whole old file or a whole new one. A reader that finds
 * an unparsable file takes the lock, looks again, and sets the file aside as
 * {@code daemon-registry.json.corrupt-<UTC>}.
 */
public final class FileDaemonRegistry implements DaemonRegistry {

    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMillis(LiveRecordSettings.DEFAULT_STALE_AFTER_MS);
    public static final Duration DEFAULT_LOCK_TIMEOUT = LockedStore.LOCK_TIMEOUT;

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final LiveServerResolver resolver;
    private final ProcessLiveness liveness;
    private final EndpointProbe endpoint;
    private final Consumer<String> warnings;
    private final Duration lockTimeout;
    private volatile StoreHealth health;
    private volatile LockedJsonFile<RegistrySnapshot> store;

    /**
     * @param endpoint asked, for a record without a process start instant, whether a server
     *                 answers on its endpoint (see {@link LiveServerResolver})
     */
    public FileDaemonRegistry(
            Path file,
            Clock clock,
            Duration staleAfter,
            ProcessLiveness liveness,
            EndpointProbe endpoint,
            Consumer<String> warnings,
            Duration lockTimeout) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = lockFileFor(this.file);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.resolver = new LiveServerResolver(staleAfter, liveness, endpoint);
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.store = storeReportingTo(null);
    }

    /** A registry with the real endpoint probe ({@link HealthEndpointProbe}, 500 ms). */
    public FileDaemonRegistry(
            Path file,
            Clock clock,
            Duration staleAfter,
            ProcessLiveness liveness,
            Consumer<String> warnings,
            Duration lockTimeout) {
        this(file, clock, staleAfter, liveness, new HealthEndpointProbe(), warnings, lockTimeout);
    }

    /**
     * A registry on {@code file} with the system clock, real process checks, the real endpoint
     * probe and a 10 s lock wait.
     */
    public static FileDaemonRegistry open(Path file, Duration staleAfter, Consumer<String> warnings) {
        return new FileDaemonRegistry(
                file,
                Clock.systemUTC(),
                staleAfter,
                new ProcessLiveness(),
                new HealthEndpointProbe(),
                warnings,
                DEFAULT_LOCK_TIMEOUT);
    }

    /** {@code daemon-registry.json} -> {@code daemon-registry.lock}, in the same folder. */
    static Path lockFileFor(Path registryFile) {
        String name = registryFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return registryFile.resolveSibling(stem + ".lock");
    }

    @Override
    public Path path() {
        return file;
    }

    public Path lockFile() {
        return lockFile;
    }

    @Override
    public Duration staleAfter() {
        return resolver.staleAfter();
    }

    @Override
    public DaemonRegistry forFile(Path registryFile) {
        return new FileDaemonRegistry(
                        registryFile, clock, resolver.staleAfter(), liveness, endpoint, warnings, lockTimeout)
                .reportingTo(health);
    }

    /** Tells {@code storeHealth} (null: nobody) about every failed and successful write; answers this registry. */
    public FileDaemonRegistry reportingTo(StoreHealth storeHealth) {
        this.health = storeHealth;
        this.store = storeReportingTo(storeHealth);
        return this;
    }

    private LockedJsonFile<RegistrySnapshot> storeReportingTo(StoreHealth storeHealth) {
        LockedStore lock = new LockedStore("the registry", lockFile, clock, lockTimeout, storeHealth);
        LockedJsonFile.Codec<RegistrySnapshot> codec = new LockedJsonFile.Codec<>() {
            @Override
            public RegistrySnapshot decode(byte[] bytes) throws LockedStore.UnreadableContentException {
                try {
                    return RegistryCodec.decode(bytes, warnings);
                } catch (RegistryCodec.CorruptRegistryException corrupt) {
                    throw new LockedStore.UnreadableContentException(corrupt.getMessage(), corrupt);
                }
            }

            @Override
            public byte[] encode(RegistrySnapshot snapshot, byte[] previous) {
                return RegistryCodec.encode(snapshot);
            }
        };
        return new LockedJsonFile<>(lock, file, codec, RegistrySnapshot.empty(), new SetAsideWarning(warnings));
    }

    /**
     * Warns about a registry file set aside. A named class, not a lambda (as everything on the
     * read path): the launcher's attach path runs without {@code java.lang.invoke}
     * (docs/decisions/0092-attach-path-without-invoke-and-formatters.md).
     */
    private static final class SetAsideWarning implements Consumer<LockedStore.SetAside> {
        private final Consumer<String> warnings;

        SetAsideWarning(Consumer<String> warnings) {
            this.warnings = warnings;
        }

        @Override
        public void accept(LockedStore.SetAside aside) {
            warnings.accept(aside.describe("the registry") + " and started from an empty registry");
        }
    }

    @Override
    public RegistrySnapshot read() {
        try {
            return store.read();
        } catch (IOException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<LiveServer> resolveLiveServer() {
        Instant now = clock.instant();
        Optional<ServerRecord> server = read().server();
        return server.isPresent() ? Optional.of(resolver.judge(server.get(), now)) : Optional.empty();
    }

    @Override
    public LiveServer judge(ServerRecord record) {
        return resolver.judge(record, clock.instant());
    }

    @Override
    public ClaimResult claim(ServerRecord record) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isPresent()
                    && !existing.get().serverId().equals(record.serverId())
                    && resolver.judge(existing.get(), clock.instant()).fresh()) {
                return Change.keep(ClaimResult.conflict(existing.get()));
            }
            return Change.write(withServer(current, Optional.of(record)), ClaimResult.claimed(existing));
        });
    }

    @Override
    public Optional<ServerRecord> takeOver(ServerRecord record) {
        return mutate(current -> Change.write(withServer(current, Optional.of(record)), current.server()));
    }

    @Override
    public RefreshResult refresh(String serverId, Instant lastSeenAt) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isEmpty()) {
                return Change.keep(RefreshResult.absent());
            }
            if (!existing.get().serverId().equals(serverId)) {
                return Change.keep(RefreshResult.lost(existing.get()));
            }
            ServerRecord refreshed = existing.get().withLastSeenAt(lastSeenAt);
            return Change.write(withServer(current, Optional.of(refreshed)), RefreshResult.refreshed());
        });
    }

    @Override
    public ClearResult clear(String serverId) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isEmpty()) {
                return Change.keep(ClearResult.absent());
            }
            if (!existing.get().serverId().equals(serverId)) {
                return Change.keep(ClearResult.notOwner(existing.get()));
            }
            return Change.write(withServer(current, Optional.empty()), ClearResult.cleared());
        });
    }

    @Override
    public ReleaseResult release(String serverId, Optional<ServerRecord> previous) {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(previous, "previous");
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isPresent() && !existing.get().serverId().equals(serverId)) {
                return Change.keep(ReleaseResult.notOwner(existing.get()));
            }
            Optional<ServerRecord> heir = previous.filter(p -> !p.serverId().equals(serverId))
                    .filter(p ->
                            liveness.deadReason(p.pid(), p.processStartedAt()).isEmpty());
            if (heir.isPresent()) {
                ServerRecord restored = heir.get().withLastSeenAt(now());
                return Change.write(withServer(current, Optional.of(restored)), ReleaseResult.handedBack(restored));
            }
            if (existing.isEmpty()) {
                return Change.keep(ReleaseResult.cleared());
            }
            return Change.write(withServer(current, Optional.empty()), ReleaseResult.cleared());
        });
    }

    @Override
    public void registerWorkspaces(Collection<WorkspaceDescriptor> workspaces) {
        if (workspaces.isEmpty()) {
            return;
        }
        mutate(current -> {
            Instant now = now();
            Map<String, WorkspaceEntry> byStateRoot = new LinkedHashMap<>();
            for (WorkspaceEntry entry : current.workspaces()) {
                byStateRoot.put(stateRootKey(entry.workspace().stateRoot()), entry);
            }
            for (WorkspaceDescriptor workspace : workspaces) {
                byStateRoot.put(stateRootKey(workspace.stateRoot()), new WorkspaceEntry(workspace, now));
            }
            RegistrySnapshot next = new RegistrySnapshot(
                    RegistrySnapshot.FORMAT_VERSION, now, current.server(), new ArrayList<>(byStateRoot.values()));
            return Change.write(next, null);
        });
    }

    static String stateRootKey(String stateRoot) {
        try {
            return Path.of(stateRoot).toAbsolutePath().normalize().toString();
        } catch (RuntimeException invalidPath) {
            return stateRoot;
        }
    }

    private RegistrySnapshot withServer(RegistrySnapshot current, Optional<ServerRecord> server) {
        return new RegistrySnapshot(RegistrySnapshot.FORMAT_VERSION, now(), server, current.workspaces());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private <T> T mutate(java.util.function.Function<RegistrySnapshot, Change<RegistrySnapshot, T>> change) {
        try {
            return store.update(change);
        } catch (IOException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    /** For tests and tools: a snapshot's workspace ids in order. */
    static List<String> workspaceIds(RegistrySnapshot snapshot) {
        List<String> ids = new ArrayList<>();
        snapshot.workspaces().forEach(e -> ids.add(e.workspace().id()));
        return ids;
    }
}
