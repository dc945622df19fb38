package io.heddle.api.lifecycle;

import io.heddle.api.registry.ServerMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A started control-plane server. {@link #close()} is idempotent, safe from any thread, and
 * never exits the process.
 */
@ProviderType
public interface ServerHandle extends AutoCloseable {

    /** The request attribute under which the serving handle is put on every request of its endpoint. */
    String REQUEST_ATTRIBUTE = "io.heddle.api.lifecycle.ServerHandle";

    /**
     * The cookie a browser holds the token in, once it opened {@code /?token=<token>}
     * ({@code HttpOnly}, {@code SameSite=Strict}); since 1.1.
     */
    String TOKEN_COOKIE = "heddle_token";

    /** The name of the servlet context every Heddle endpoint selects. */
    String CONTEXT_NAME = "heddle";

    String serverId();

    ServerMode mode();

    /** The bound host. */
    String host();

    /** The real bound port (never 0). */
    int port();

    /** {@code http://host:port}. */
    String endpointUrl();

    /** The registry file this server records itself in. */
    Path registryPath();

    Path workspaceRoot();

    Path stateRoot();

    /** The web UI folder being served, when {@link #assets()} is a folder. */
    Optional<Path> assetsDir();

    /** Which web UI this server serves (since 1.1; the default answers from {@link #assetsDir()}). */
    default ServerAssets assets() {
        return assetsDir().map(ServerAssets::directory).orElse(ServerAssets.none());
    }

    Instant startedAt();

    /** The process that runs this server. */
    long pid();

    /** Whether this server holds the live record right now (as of its last heartbeat). */
    boolean owner();

    /**
     * The live record of this server's registry as this server last saw it (at its last
     * live-record heartbeat, from memory), judged now: {@code fresh} when its
     * {@code lastSeenAt} lies within the registry's stale threshold. Empty when not known
     * (since 1.2).
     */
    default java.util.Optional<io.heddle.api.registry.LiveServer> liveRecord() {
        return java.util.Optional.empty();
    }

    /** The per-start access token (also in {@code $HEDDLE_HOME/run/<serverId>.token}). */
    String token();

    /** The token file. */
    Path tokenFile();

    /** Whether {@link #close()} has begun. */
    boolean closed();

    /**
     * Asks the host of this server to shut it down (e.g. {@code POST /api/admin/shutdown}).
     * Calls the host's listener if one was set, else closes the handle.
     */
    void requestShutdown();

    /** The host (e.g. the launcher) learns of shutdown requests through this listener. */
    void onShutdownRequest(Runnable listener);

    /**
     * Stops the heartbeat and scheduler, closes the listener, clears only this server's own
     * live record and deletes its token file.
     *
     * @throws ServerCloseException when a step failed; every other step still ran
     */
    @Override
    void close();
}
