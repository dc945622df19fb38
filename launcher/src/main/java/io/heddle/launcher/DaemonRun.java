package io.heddle.launcher;

import io.heddle.api.lifecycle.ControlPlaneLifecycle;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerAssets;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.registry.internal.FileDaemonRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One {@code heddle daemon}: attach to a fresh live server without booting anything, or boot
 * the framework, start a server through the lifecycle service, serve until asked to stop, and
 * close everything again. Only this class (through {@link Heddle}) decides the exit code.
 */
final class DaemonRun {

    /** The options of one daemon start, as parsed. */
    record Settings(
            String host,
            int port,
            Optional<Path> workspace,
            String stateDir,
            Optional<Path> assetsDir,
            boolean noAssets,
            boolean forceOwnerConflict,
            Optional<Path> extensionsDir) {}

    /** The system property the logging bundle (io.heddle.logging) reads the log file from. */
    static final String LOG_FILE_PROPERTY = "heddle.log.file";
    /** Build-time only: start, then stop at once (used to record the class-data-sharing archive). */
    static final String TRAINING_PROPERTY = "heddle.trainingRun";

    static final Duration LIFECYCLE_DEADLINE = Duration.ofSeconds(30);
    static final Duration PEER_DEADLINE = Duration.ofSeconds(20);
    private static final long POLL_MILLIS = 50;

    private final Settings settings;
    private final Terminal terminal;

    DaemonRun(Settings settings, Terminal terminal) {
        this.settings = settings;
        this.terminal = terminal;
    }

    int run() {
        HomeFolder home = HomeFolder.fromEnvironment();
        FileDaemonRegistry registry = home.openRegistry(terminal.warnings());
        if (!settings.forceOwnerConflict()) {
            Optional<ServerRecord> live = freshLiveServer(registry);
            if (live.isPresent()) {
                printAttach(live.get());
                return Heddle.OK;
            }
        }

        Path workspace = workspaceRoot(settings.workspace());
        Path stateRoot = workspace.resolve(settings.stateDir()).toAbsolutePath().normalize();
        ServerAssets assets = assets();
        Optional<Path> extensions = extensionsDir();
        checkHost(settings.host());
        if (settings.port() != 0 && !PortProbe.canBind(settings.host(), settings.port())) {
            Peer peer = awaitPeer(registry, home, null);
            if (peer.kind() == PeerKind.ATTACH) {
                printAttach(peer.server());
                return Heddle.OK;
            }
            if (peer.kind() != PeerKind.FREED) {
                throw portProblem(peer.kind());
            }
        }

        String serverId = ServerMode.DAEMON.wireName() + "-" + pid() + "-" + System.currentTimeMillis();
        RunFiles.pruneDeadProcesses(home);
        Path logFile = stateRoot.resolve("logs").resolve("server.log");
        WriteFailures.Places places = new WriteFailures.Places(home.root(), workspace, stateRoot);
        StartFolders.prepareState(places, logFile, terminal);
        System.setProperty(LOG_FILE_PROPERTY, logFile.toString());
        ServerOptions options = ServerOptions.of(ServerMode.DAEMON, settings.host(), settings.port(), workspace)
                .withStateRoot(stateRoot)
                .withAssets(assets)
                .withServerId(serverId)
                .withOwnership(settings.forceOwnerConflict() ? OwnershipPolicy.TAKE_OVER : OwnershipPolicy.CLAIM);

        ShutdownRequests shutdown = new ShutdownRequests(terminal);
        shutdown.trapSignals();
        FelixBoot boot = FelixBoot.start(Distribution.locate(), home, serverId, extensions, terminal);
        int code = Heddle.OK;
        ServerRecord attachTo = null;
        boolean portBusy = false;
        try {
            ControlPlaneLifecycle lifecycle = boot.awaitLifecycle(LIFECYCLE_DEADLINE, shutdown);
            if (lifecycle != null && !shutdown.isRequested()) {
                ServerHandle handle = null;
                try {
                    handle = lifecycle.start(options);
                } catch (ServerStartException e) {
                    terminal.trace(e);
                    switch (e.reason()) {
                        case OWNER_CONFLICT:
                            attachTo = e.liveServer()
                                    .or(() -> freshLiveServer(registry))
                                    .orElse(null);
                            if (attachTo == null) {
                                throw CommandFailure.runtime(
                                        "Another Heddle server claimed the live record and is"
                                                + " gone again. Run heddle daemon again.",
                                        e);
                            }
                            break;
                        case PORT_IN_USE:
                            portBusy = true;
                            break;
                        default:
                            throw CommandFailure.runtime(startFailure(e, places, logFile), e);
                    }
                }
                if (handle != null) {
                    code = serve(handle, boot, shutdown, logFile);
                }
            }
        } finally {
            if (!boot.shutDown(terminal, logFile)) {
                code = Heddle.FAILURE;
            }
        }
        if (attachTo != null) {
            printAttach(attachTo);
            return Heddle.OK;
        }
        if (portBusy) {
            // Our start lost the bind to another program, or to a Heddle server starting at the same moment.
            Peer peer = awaitPeer(registry, home, shutdown);
            switch (peer.kind()) {
                case ATTACH:
                    printAttach(peer.server());
                    return Heddle.OK;
                case STOPPED:
                    return Heddle.OK;
                default:
                    throw portProblem(peer.kind());
            }
        }
        return code;
    }

    /** Prints the start lines, waits for a stop request, closes the server. */
    private int serve(ServerHandle handle, FelixBoot boot, ShutdownRequests shutdown, Path logFile) {
        handle.onShutdownRequest(() -> shutdown.request("shutdown request"));
        terminal.line("Heddle server listening at " + handle.endpointUrl());
        terminal.line("serverId=" + handle.serverId());
        terminal.line("workspace=" + handle.workspaceRoot());
        terminal.line("state=" + handle.stateRoot());
        terminal.line("registry=" + handle.registryPath());
        if (!PortProbe.isLoopback(handle.host())) {
            terminal.warning("listening on " + handle.host() + ", which is not a loopback address: other machines"
                    + " can reach this server, and every request needs the token in " + handle.tokenFile() + ".");
        }
        if (Boolean.getBoolean(TRAINING_PROPERTY)) {
            CdsTraining.firstRequest(handle.endpointUrl());
            String classLoadLog = System.getProperty(CdsTraining.CLASS_LOAD_LOG_PROPERTY);
            if (classLoadLog != null) {
                boot.linkForArchive(Path.of(classLoadLog));
            }
            shutdown.request("training run");
        }
        shutdown.await();
        try {
            handle.close();
            terminal.line("Heddle server stopped (serverId=" + handle.serverId() + ")");
            return Heddle.OK;
        } catch (RuntimeException e) {
            terminal.problem("heddle: closing server " + handle.serverId() + " failed: " + sentence(e.getMessage())
                    + " Check " + logFile + ", and run 'heddle status' to see whether its record is gone.");
            terminal.trace(e);
            return Heddle.FAILURE;
        }
    }

    private void printAttach(ServerRecord server) {
        terminal.line("Heddle control-plane server already running at " + server.endpointUrl());
        terminal.line("serverId=" + server.serverId());
    }

    /**
     * The fresh live server a daemon attaches to. An {@code embedded-chat} server does not count:
     * a daemon starts beside it and takes the record over (the chat keeps serving its terminal).
     */
    private Optional<ServerRecord> freshLiveServer(FileDaemonRegistry registry) {
        // Plain code, no lambdas: the attach path runs without java.lang.invoke (decision 92).
        Optional<LiveServer> live;
        try {
            live = registry.resolveLiveServer();
        } catch (RegistryException e) {
            throw registryFailure(e, HomeFolder.fromEnvironment());
        }
        if (live.isEmpty() || !live.get().fresh() || live.get().server().mode() == ServerMode.EMBEDDED_CHAT) {
            return Optional.empty();
        }
        return Optional.of(live.get().server());
    }

    /**
     * This process's id, asked only on the start path: {@code ProcessHandle}'s first use starts
     * its machinery (an executor built with lambdas), which the attach path does without.
     */
    private static long pid() {
        return ProcessHandle.current().pid();
    }

    /** A registry that cannot be read or locked: the OS's cause and the fix when it is one, else its own message. */
    static CommandFailure registryFailure(RegistryException e, HomeFolder home) {
        return CommandFailure.runtime(
                WriteFailures.describe(e, new WriteFailures.Places(home.root(), null, null), WriteFailures.Area.HOME)
                        .orElse(e.getMessage()),
                e);
    }

    /**
     * The line for a start the lifecycle refused: a write the OS refused (full disk, unwritable
     * folder) names the folder, the OS's cause and the fix; anything else keeps the lifecycle's
     * message and points at the log.
     */
    static String startFailure(Exception e, WriteFailures.Places places, Path logFile) {
        WriteFailures.Area blame = WriteFailures.Area.STATE;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RegistryException) {
                blame = WriteFailures.Area.HOME;
                break;
            }
        }
        return WriteFailures.describe(e, places, blame).orElseGet(() -> sentence(e.getMessage()) + withLog(logFile));
    }

    /** The workspace folder (default: the current folder); it must exist and be a folder. */
    static Path workspaceRoot(Optional<Path> workspace) {
        Path dir = workspace.orElse(Path.of("")).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CommandFailure.runtime(
                    "The workspace " + dir + " is a file, not a folder." + " Pass --workspace with a folder.");
        }
        if (!Files.isDirectory(dir)) {
            throw CommandFailure.runtime("The workspace folder " + dir + " does not exist."
                    + " Create it, or pass an existing folder with --workspace.");
        }
        return dir;
    }

    /**
     * The web UI to serve: none with {@code --no-assets}, a folder with {@code --assets-dir}
     * (checked here, before the framework boots), else the web bundle's (the lifecycle checks it).
     */
    private ServerAssets assets() {
        if (settings.noAssets()) {
            return ServerAssets.none();
        }
        if (settings.assetsDir().isEmpty()) {
            return ServerAssets.bundled();
        }
        Path dir = settings.assetsDir().get().toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("index.html"))) {
            throw CommandFailure.runtime("Web assets not found at " + dir + " (no index.html)."
                    + " Pass --assets-dir with a folder that holds index.html, or --no-assets.");
        }
        return ServerAssets.directory(dir);
    }

    /**
     * The folder of {@code --extensions-dir}, made absolute against the current folder and created
     * if missing; checked before the framework boots.
     */
    private Optional<Path> extensionsDir() {
        if (settings.extensionsDir().isEmpty()) {
            return Optional.empty();
        }
        Path dir = settings.extensionsDir().get().toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CommandFailure.runtime("The extensions folder " + dir + " is a file, not a folder."
                    + " Pass --extensions-dir with a folder (it is created if missing).");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "Cannot create the extensions folder " + dir + " (" + e.getMessage() + ")."
                            + " Pass --extensions-dir with a folder you can write to.",
                    e);
        }
        return Optional.of(dir);
    }

    /** The host must name an address of this machine; checked before the framework boots. */
    static void checkHost(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw CommandFailure.runtime(
                    "Cannot resolve --host " + host
                            + ". Give an address of this machine, such as 127.0.0.1 (the default).",
                    e);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "Cannot listen on --host " + host + " (" + e.getMessage()
                            + "). Give an address of this machine, such as 127.0.0.1 (the default).",
                    e);
        }
    }

    enum PeerKind {
        /** A fresh server is live: attach to it. */
        ATTACH,
        /** The port is held, and no other Heddle server process of this home is alive. */
        FOREIGN,
        /** The port is free again. */
        FREED,
        /** A Heddle process holds on, but no live record appeared in time. */
        TIMED_OUT,
        /** This daemon was asked to stop while waiting. */
        STOPPED
    }

    record Peer(PeerKind kind, ServerRecord server) {}

    /**
     * The port is held. When it is held by a Heddle server that is starting at this moment (its
     * token file exists and its process is alive), wait for it to claim the live record, then
     * attach; a port held by a foreign program answers at once.
     */
    private Peer awaitPeer(FileDaemonRegistry registry, HomeFolder home, ShutdownRequests shutdown) {
        long end = System.nanoTime() + PEER_DEADLINE.toNanos();
        while (true) {
            Optional<ServerRecord> live = freshLiveServer(registry);
            if (live.isPresent()) {
                return new Peer(PeerKind.ATTACH, live.get());
            }
            if (shutdown != null && shutdown.isRequested()) {
                return new Peer(PeerKind.STOPPED, null);
            }
            if (PortProbe.canBind(settings.host(), settings.port())) {
                return new Peer(PeerKind.FREED, null);
            }
            if (!RunFiles.anotherServerProcessAlive(home, pid())) {
                return new Peer(PeerKind.FOREIGN, null);
            }
            if (System.nanoTime() > end) {
                return new Peer(PeerKind.TIMED_OUT, null);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Peer(PeerKind.TIMED_OUT, null);
            }
        }
    }

    private CommandFailure portProblem(PeerKind kind) {
        String where = "Port " + settings.port() + " on " + settings.host();
        switch (kind) {
            case TIMED_OUT:
                return CommandFailure.runtime(where + " is held by a Heddle server that did not finish starting within "
                        + PEER_DEADLINE.toSeconds() + " s. Run 'heddle status', or choose another port with --port.");
            case FREED:
                return CommandFailure.runtime(
                        where + " was in use while this server started and is free now." + " Run heddle daemon again.");
            default:
                return CommandFailure.runtime(where + " is already in use by another program."
                        + " Stop that program, or choose another port with --port.");
        }
    }

    static String sentence(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error.";
        }
        String m = message.strip().replace('\n', ' ');
        return m.endsWith(".") ? m : m + ".";
    }

    static String withLog(Path logFile) {
        try {
            return Files.size(logFile) > 0 ? " Details: " + logFile : "";
        } catch (IOException missing) {
            return "";
        }
    }
}
