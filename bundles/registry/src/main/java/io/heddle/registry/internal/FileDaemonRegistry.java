package io.heddle.registry.internal;

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
import io.heddle.storage.internal.AtomicFileWriter;
import io.heddle.storage.internal.IoFailures;
import io.heddle.storage.internal.StoreHealth;
import io.heddle.storage.internal.CorruptFiles;
import io.heddle.storage.internal.ExclusiveFileLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
import java.util.function.Function;

/**
 * The file-backed {@link DaemonRegistry}. Plain Java: the launcher uses it before any
 * framework exists, and {@link DaemonRegistryComponent} offers it as a service.
 *
 * <p>Every read-modify-write holds {@link ExclusiveFileLock} on {@code daemon-registry.lock}
 * and ends in an atomic replace. Plain reads take no lock: an atomic replace means a reader
 * sees a whole old file or a whole new one. A reader that finds an unparsable file takes the
 * lock, looks again, and sets the file aside as {@code daemon-registry.json.corrupt-<UTC>}.
 */
public final class FileDaemonRegistry implements DaemonRegistry {

    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(45);
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final Path file;
    private final Path lockFile;
    private final Clock clock;
    private final LiveServerResolver resolver;
    private final ProcessLiveness liveness;
    private final EndpointProbe endpoint;
    private final Consumer<String> warnings;
    private final Duration lockTimeout;
    private volatile StoreHealth health;

    /**
     * @param endpoint asked, for a record without a process start instant, whether a server
     *                 answers on its endpoint (see {@link LiveServerResolver})
     */
    public FileDaemonRegistry(Path file, Clock clock, Duration staleAfter, ProcessLiveness liveness,
            EndpointProbe endpoint, Consumer<String> warnings, Duration lockTimeout) {
        this.file = file.toAbsolutePath().normalize();
        this.lockFile = lockFileFor(this.file);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.resolver = new LiveServerResolver(staleAfter, liveness, endpoint);
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /** A registry with the real endpoint probe ({@link HealthEndpointProbe}, 500 ms). */
    public FileDaemonRegistry(Path file, Clock clock, Duration staleAfter, ProcessLiveness liveness,
            Consumer<String> warnings, Duration lockTimeout) {
        this(file, clock, staleAfter, liveness, new HealthEndpointProbe(), warnings, lockTimeout);
    }

    /**
     * A registry on {@code file} with the system clock, real process checks, the real endpoint
     * probe and a 10 s lock wait.
     */
    public static FileDaemonRegistry open(Path file, Duration staleAfter, Consumer<String> warnings) {
        return new FileDaemonRegistry(file, Clock.systemUTC(), staleAfter, new ProcessLiveness(),
                new HealthEndpointProbe(), warnings, DEFAULT_LOCK_TIMEOUT);
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
        return new FileDaemonRegistry(registryFile, clock, resolver.staleAfter(), liveness, endpoint, warnings,
                lockTimeout).reportingTo(health);
    }

    /** Tells {@code storeHealth} (null: nobody) about every failed and successful write; answers this registry. */
    public FileDaemonRegistry reportingTo(StoreHealth storeHealth) {
        this.health = storeHealth;
        return this;
    }

    @Override
    public RegistrySnapshot read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return RegistrySnapshot.empty();
        } catch (IOException e) {
            throw new RegistryException("Cannot read the registry " + file + ": " + IoFailures.reason(e)
                    + ". Check that the file is readable by you.", e);
        }
        try {
            return RegistryCodec.decode(bytes, this::warn);
        } catch (RegistryCodec.CorruptRegistryException corrupt) {
            // Set it aside under the lock; a writer may already have replaced it.
            return withLock(this::readLocked);
        }
    }

    @Override
    public Optional<LiveServer> resolveLiveServer() {
        Instant now = clock.instant();
        return read().server().map(s -> resolver.judge(s, now));
    }

    @Override
    public LiveServer judge(ServerRecord record) {
        return resolver.judge(record, clock.instant());
    }

    @Override
    public ClaimResult claim(ServerRecord record) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isPresent() && !existing.get().serverId().equals(record.serverId())
                    && resolver.judge(existing.get(), clock.instant()).fresh()) {
                return Mutation.keep(ClaimResult.conflict(existing.get()));
            }
            return Mutation.write(withServer(current, Optional.of(record)), ClaimResult.claimed(existing));
        });
    }

    @Override
    public Optional<ServerRecord> takeOver(ServerRecord record) {
        return mutate(current -> Mutation.write(withServer(current, Optional.of(record)), current.server()));
    }

    @Override
    public RefreshResult refresh(String serverId, Instant lastSeenAt) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isEmpty()) {
                return Mutation.keep(RefreshResult.absent());
            }
            if (!existing.get().serverId().equals(serverId)) {
                return Mutation.keep(RefreshResult.lost(existing.get()));
            }
            ServerRecord refreshed = existing.get().withLastSeenAt(lastSeenAt);
            return Mutation.write(withServer(current, Optional.of(refreshed)), RefreshResult.refreshed());
        });
    }

    @Override
    public ClearResult clear(String serverId) {
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isEmpty()) {
                return Mutation.keep(ClearResult.absent());
            }
            if (!existing.get().serverId().equals(serverId)) {
                return Mutation.keep(ClearResult.notOwner(existing.get()));
            }
            return Mutation.write(withServer(current, Optional.empty()), ClearResult.cleared());
        });
    }

    @Override
    public ReleaseResult release(String serverId, Optional<ServerRecord> previous) {
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(previous, "previous");
        return mutate(current -> {
            Optional<ServerRecord> existing = current.server();
            if (existing.isPresent() && !existing.get().serverId().equals(serverId)) {
                return Mutation.keep(ReleaseResult.notOwner(existing.get()));
            }
            Optional<ServerRecord> heir = previous.filter(p -> !p.serverId().equals(serverId))
                    .filter(p -> liveness.deadReason(p.pid(), p.processStartedAt()).isEmpty());
            if (heir.isPresent()) {
                ServerRecord restored = heir.get().withLastSeenAt(now());
                return Mutation.write(withServer(current, Optional.of(restored)), ReleaseResult.handedBack(restored));
            }
            if (existing.isEmpty()) {
                return Mutation.keep(ReleaseResult.cleared());
            }
            return Mutation.write(withServer(current, Optional.empty()), ReleaseResult.cleared());
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
            RegistrySnapshot next = new RegistrySnapshot(RegistrySnapshot.FORMAT_VERSION, now, current.server(),
                    new ArrayList<>(byStateRoot.values()));
            return Mutation.write(next, null);
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

    /** Reads under the lock; an unparsable file is set aside and reading continues from empty. */
    private RegistrySnapshot readLocked() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException missing) {
            return RegistrySnapshot.empty();
        } catch (IOException e) {
            throw new RegistryException("Cannot read the registry " + file + ": " + IoFailures.reason(e)
                    + ". Check that the file is readable by you.", e);
        }
        try {
            return RegistryCodec.decode(bytes, this::warn);
        } catch (RegistryCodec.CorruptRegistryException corrupt) {
            try {
                Path aside = CorruptFiles.setAside(file, clock);
                warn("the registry " + file + " was unreadable (" + corrupt.getMessage() + "); moved it to "
                        + aside + " and started from an empty registry");
            } catch (IOException e) {
                throw new RegistryException("The registry " + file + " is unreadable (" + corrupt.getMessage()
                        + ") and could not be moved aside: " + e.getMessage() + ". Move or delete it by hand.", e);
            }
            return RegistrySnapshot.empty();
        }
    }

    private <T> T mutate(Function<RegistrySnapshot, Mutation<T>> change) {
        return withLock(() -> {
            Mutation<T> mutation = change.apply(readLocked());
            if (mutation.next != null) {
                writeLocked(mutation.next);
            }
            return mutation.answer;
        });
    }

    private void writeLocked(RegistrySnapshot snapshot) {
        try {
            // Folders it creates are 0700 already; an existing folder is not ours to chmod.
            AtomicFileWriter.write(file, RegistryCodec.encode(snapshot));
        } catch (IOException e) {
            String message = "Cannot write the registry " + file + ": " + IoFailures.reason(e);
            StoreHealth h = health;
            if (h != null) {
                h.failed(file.getParent(), message);
            }
            throw new RegistryException(message + ". Check that " + file.getParent()
                    + " is writable and the disk is not full.", e);
        }
        StoreHealth h = health;
        if (h != null) {
            h.succeeded(file.getParent());
        }
    }

    private <T> T withLock(java.util.function.Supplier<T> action) {
        try (ExclusiveFileLock held = ExclusiveFileLock.acquire(lockFile, lockTimeout)) {
            return action.get();
        } catch (ExclusiveFileLock.LockTimeoutException e) {
            throw new RegistryException(e.getMessage(), e);
        } catch (IOException e) {
            String message = "Cannot lock the registry through " + lockFile + ": " + IoFailures.reason(e);
            StoreHealth h = health;
            if (h != null) {
                h.failed(lockFile.getParent(), message);
            }
            throw new RegistryException(message + ". Check that " + lockFile.getParent() + " is writable.", e);
        }
    }

    private void warn(String message) {
        warnings.accept(message);
    }

    /** What one locked change decided: the snapshot to write (null = write nothing) and the answer. */
    private static final class Mutation<T> {
        final RegistrySnapshot next;
        final T answer;

        private Mutation(RegistrySnapshot next, T answer) {
            this.next = next;
            this.answer = answer;
        }

        static <T> Mutation<T> keep(T answer) {
            return new Mutation<>(null, answer);
        }

        static <T> Mutation<T> write(RegistrySnapshot next, T answer) {
            return new Mutation<>(next, answer);
        }
    }

    /** For tests and tools: a snapshot's workspace ids in order. */
    static List<String> workspaceIds(RegistrySnapshot snapshot) {
        List<String> ids = new ArrayList<>();
        snapshot.workspaces().forEach(e -> ids.add(e.workspace().id()));
        return ids;
    }
}
