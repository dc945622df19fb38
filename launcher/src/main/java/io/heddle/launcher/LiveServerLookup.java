package io.heddle.launcher;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerRecord;
import io.heddle.registry.internal.FileDaemonRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the live server of {@code HEDDLE_HOME} through the registry, and reads its token file:
 * the one preamble of every command that talks to a running server ({@code status},
 * {@code stop}, {@code open}, and the API commands, which {@link #connect()} hands an
 * authenticated {@link ApiClient}). A registry that cannot be read is exit 1; no fresh server
 * is exit 3.
 */
final class LiveServerLookup {

    static final String NOTHING_RUNNING = "No Heddle server is running. Start one with: heddle daemon";

    private final HomeFolder home;
    private final FileDaemonRegistry registry;

    private LiveServerLookup(HomeFolder home, FileDaemonRegistry registry) {
        this.home = home;
        this.registry = registry;
    }

    /** The registry of {@code HEDDLE_HOME}; its warnings (a file set aside) go to the terminal. */
    static LiveServerLookup open(Terminal terminal) {
        HomeFolder home = HomeFolder.fromEnvironment();
        return new LiveServerLookup(home, home.openRegistry(terminal::warning));
    }

    /** The lookup over a registry the caller opened already. */
    static LiveServerLookup of(HomeFolder home, FileDaemonRegistry registry) {
        return new LiveServerLookup(home, registry);
    }

    HomeFolder home() {
        return home;
    }

    FileDaemonRegistry registry() {
        return registry;
    }

    /** The registry as it is now. */
    RegistrySnapshot snapshot() {
        try {
            return registry.read();
        } catch (RegistryException e) {
            throw DaemonRun.registryFailure(e, home);
        }
    }

    /** The snapshot's live record judged now, without probing its endpoint (what {@code status} shows). */
    Optional<LiveServer> judge(RegistrySnapshot snapshot) {
        try {
            return snapshot.server().map(registry::judge);
        } catch (RegistryException e) {
            throw DaemonRun.registryFailure(e, home);
        }
    }

    /** The live record judged now (fresh or stale, an endpoint probed when the record needs it); empty when none. */
    Optional<LiveServer> live() {
        try {
            return registry.resolveLiveServer();
        } catch (RegistryException e) {
            throw DaemonRun.registryFailure(e, home);
        }
    }

    /** The fresh live server, or exit 3 with {@code nothingRunning} as the line. */
    ServerRecord requireFresh(String nothingRunning) {
        return live().filter(LiveServer::fresh)
                .map(LiveServer::server)
                .orElseThrow(() -> CommandFailure.nothingRunning(nothingRunning));
    }

    /** An authenticated client of the fresh live server's API; exit 3 when none runs, 1 when its token is unreadable. */
    ApiClient connect() {
        ServerRecord server = requireFresh(NOTHING_RUNNING);
        return new ApiClient(server, token(server));
    }

    Path tokenFile(ServerRecord server) {
        return home.tokenFile(server.serverId());
    }

    /** The server's token, when its file can be read and is not empty. */
    Optional<String> tokenIfReadable(ServerRecord server) {
        try {
            String token =
                    Files.readString(tokenFile(server), StandardCharsets.UTF_8).trim();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The server's token; exit 1 naming the file when it cannot be read. */
    String token(ServerRecord server) {
        Path tokenFile = tokenFile(server);
        try {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
            if (token.isEmpty()) {
                throw CommandFailure.runtime("The token file " + tokenFile + " of server " + server.serverId()
                        + " is empty. Restart the server (heddle stop, then heddle daemon).");
            }
            return token;
        } catch (NoSuchFileException e) {
            throw CommandFailure.runtime(
                    "The token file " + tokenFile + " of server " + server.serverId()
                            + " is missing. Run heddle as the user who started the server, or restart it.",
                    e);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "Cannot read the token file " + tokenFile + " (" + e.getMessage()
                            + "). Run heddle as the user who started the server.",
                    e);
        }
    }
}
