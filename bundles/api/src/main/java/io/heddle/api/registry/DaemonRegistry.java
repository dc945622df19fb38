package io.heddle.api.registry;

import io.heddle.api.workspace.WorkspaceDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The per-user registry of the one live control-plane server and the known workspaces.
 *
 * <p>Every mutation holds an exclusive lock that covers threads and processes, and replaces
 * the file atomically, so readers never see a torn file. Reads are tolerant: a missing file
 * is an empty registry, a bad entry is dropped alone, and an unparsable file is set aside
 * (never silently lost) before reading continues from empty.
 *
 * <p>Freshness: a server is fresh when its {@code lastSeenAt} lies within
 * {@link #staleAfter()} of now and its process is alive (same pid, same process start).
 *
 * <p>Failures to lock, read or write throw {@link RegistryException}.
 */
@ProviderType
public interface DaemonRegistry {

    /** The registry file, e.g. {@code ~/.heddle/daemon-registry.json}. */
    Path path();

    /** How old a heartbeat may be before its server counts as stale. */
    Duration staleAfter();

    /** The registry as it is now. Never blocks on writers. */
    RegistrySnapshot read();

    /** The live-server record judged now; empty when there is none. */
    Optional<LiveServer> resolveLiveServer();

    /** Judges a record at the registry's current time (heartbeat age and process liveness). */
    LiveServer judge(ServerRecord record);

    /**
     * Becomes the live server unless a fresh <em>other</em> server holds the record.
     * Re-claiming our own record (same serverId) always succeeds.
     */
    ClaimResult claim(ServerRecord record);

    /** Becomes the live server unconditionally; answers the record it replaced, if any. */
    Optional<ServerRecord> takeOver(ServerRecord record);

    /** Moves the heartbeat of our own record; writes nothing unless {@code serverId} owns it. */
    RefreshResult refresh(String serverId, Instant lastSeenAt);

    /** Removes the live-server record only if {@code serverId} owns it. */
    ClearResult clear(String serverId);

    /**
     * Hands the record back when the server {@code serverId} closes, in one locked change: if
     * {@code serverId} owns the record (or the record is empty) and {@code previous} (the record
     * this server took over when it started) names a process that is still alive, that record
     * is restored with {@code lastSeenAt} = now; otherwise the record is cleared. A record of
     * another server is left untouched ({@code NOT_OWNER}). So the record is never empty while
     * the server that owned it before still serves.
     *
     * @since 1.1
     */
    ReleaseResult release(String serverId, Optional<ServerRecord> previous);

    /** Adds or updates known workspaces, keyed by their resolved state root. */
    void registerWorkspaces(Collection<WorkspaceDescriptor> workspaces);

    /**
     * The same registry semantics (lock, staleness, clock) on another file; used for servers
     * started with an explicit registry path.
     */
    DaemonRegistry forFile(Path registryFile);
}
