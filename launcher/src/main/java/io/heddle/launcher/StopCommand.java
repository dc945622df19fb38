package io.heddle.launcher;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ServerRecord;
import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.registry.internal.LiveServerResolver;
import io.heddle.registry.internal.ProcessLiveness;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heddle stop}: asks the live server to shut down (with its token), and waits until its
 * record is gone, its port is closed and its process has exited. After the timeout it sends
 * SIGTERM, but only to the very process the record names (same pid and process start).
 */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = "Stops the live Heddle server and waits until it is gone.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the server stopped", "1:the server did not stop", "2:usage error", "3:no server is running"})
final class StopCommand implements Callable<Integer> {

    /** How long to wait after SIGTERM before giving up. */
    static final Duration AFTER_SIGTERM = Duration.ofSeconds(10);

    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);
    private static final long POLL_MILLIS = 50;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            converter = SecondsConverter.class,
            description = "How long to wait for a graceful stop before sending SIGTERM (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    private final Terminal terminal;
    private final ProcessLiveness liveness = new ProcessLiveness();

    StopCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        LiveServerLookup lookup = LiveServerLookup.open(terminal);
        FileDaemonRegistry registry = lookup.registry();
        Optional<LiveServer> live = lookup.live();
        if (live.isEmpty()) {
            terminal.line("No Heddle server is running; nothing to stop.");
            return Heddle.NOT_RUNNING;
        }
        ServerRecord server = live.get().server();
        if (live.get().stale() && (processGone(server) || silentEndpoint(live.get()))) {
            terminal.line("No Heddle server is running; nothing to stop (the last record, " + server.serverId()
                    + ", is stale: " + live.get().staleReason() + ").");
            return Heddle.NOT_RUNNING;
        }

        Optional<String> token = lookup.tokenIfReadable(server);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        int status = token.map(t -> AdminClient.requestShutdown(server, t)).orElse(-1);
        boolean asked = status >= 200 && status < 300;
        if (asked && awaitGone(registry, server, timeout)) {
            terminal.line("Heddle server stopped (serverId=" + server.serverId() + ")");
            return Heddle.OK;
        }

        // Not asked (no token, unreachable, refused) or not gone in time: SIGTERM, to that very process only.
        Optional<ProcessHandle> process = sameProcess(server);
        if (process.isEmpty()) {
            if (awaitGone(registry, server, Duration.ZERO)) {
                terminal.line("Heddle server stopped (serverId=" + server.serverId() + ")");
                return Heddle.OK;
            }
            throw CommandFailure.runtime("Server " + server.serverId() + " did not stop"
                    + (asked ? " within " + timeoutSeconds + " s" : " (" + why(token, status) + ")")
                    + ", and process " + server.pid() + " cannot be confirmed to be it, so it was not signalled."
                    + " Check it with: ps -p " + server.pid());
        }
        process.get().destroy();
        if (awaitGone(registry, server, AFTER_SIGTERM)) {
            terminal.line("Heddle server stopped (serverId=" + server.serverId() + ", after SIGTERM)");
            return Heddle.OK;
        }
        throw CommandFailure.runtime("Server " + server.serverId() + " (pid " + server.pid() + ") did not stop within "
                + (asked ? timeoutSeconds + AFTER_SIGTERM.toSeconds() : AFTER_SIGTERM.toSeconds())
                + " s, even after SIGTERM. Kill it with: kill -9 " + server.pid());
    }

    /**
     * A record without a process start instant (the reference's) whose heartbeat and pid look
     * alive, but on whose endpoint nothing answers: no server there to ask, and its pid cannot be
     * proved to be the server's, so nothing to stop.
     */
    private static boolean silentEndpoint(LiveServer live) {
        return live.server().processStartedAt() == null
                && live.staleReason() != null
                && live.staleReason().startsWith(LiveServerResolver.SILENT_ENDPOINT_REASON);
    }

    private static String why(Optional<String> token, int status) {
        if (token.isEmpty()) {
            return "its token file is missing";
        }
        return status < 0 ? "it did not answer" : "it refused the shutdown request with HTTP " + status;
    }

    /**
     * Waits until the record no longer names the server, its port is closed and its process is
     * gone. A process that died without clearing its record has its record cleared here.
     */
    private boolean awaitGone(FileDaemonRegistry registry, ServerRecord server, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (gone(registry, server)) {
                return true;
            }
            if (System.nanoTime() >= end) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private boolean gone(FileDaemonRegistry registry, ServerRecord server) {
        boolean processGone = server.pid() == 0 || processGone(server);
        if (!processGone) {
            return false;
        }
        if (PortProbe.accepts(server.host(), server.port(), 200)) {
            return false;
        }
        try {
            boolean recordGone = registry.read()
                    .server()
                    .map(r -> !r.serverId().equals(server.serverId()))
                    .orElse(true);
            if (!recordGone) {
                // the process is gone: its record can only be stale now
                registry.clear(server.serverId());
            }
            return true;
        } catch (RegistryException e) {
            throw CommandFailure.runtime(e.getMessage(), e);
        }
    }

    private boolean processGone(ServerRecord server) {
        return server.pid() != 0
                && liveness.deadReason(server.pid(), server.processStartedAt()).isPresent();
    }

    /** The process the record names, if it is alive and provably the same process (same start instant). */
    private Optional<ProcessHandle> sameProcess(ServerRecord server) {
        if (server.pid() == 0 || server.processStartedAt() == null) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(server.pid()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> started = handle.get().info().startInstant();
        if (started.isEmpty()
                || Duration.between(server.processStartedAt(), started.get())
                                .abs()
                                .compareTo(START_TOLERANCE)
                        > 0) {
            return Optional.empty();
        }
        return handle;
    }
}
