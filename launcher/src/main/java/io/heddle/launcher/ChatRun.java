package io.heddle.launcher;

import io.heddle.api.chat.EmbeddedChatHost;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.registry.internal.FileDaemonRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code heddle chat}: boot the framework, have the {@code chat-embedded} host start an
 * {@code embedded-chat} server (through a configuration {@value #PID} written into this run's
 * Configuration Admin, so it ends with the run), then a line-based conversation with one session
 * of the workspace over the server's own chat endpoints, until {@code /exit}, end of input, a
 * signal or a shutdown request. The server takes the live record over (a fresh daemon is named
 * first) and clears only its own record when it closes.
 */
final class ChatRun {

    /** The options of one chat, as parsed. */
    record Settings(String host, int port, Optional<Path> workspace, Optional<String> session,
            Optional<String> engine) {
    }

    static final String PID = "io.heddle.chat.embedded";
    static final String STATE_DIR = ".heddle";
    static final String EXIT_COMMAND = "/exit";

    private final Settings settings;
    private final Terminal terminal;
    private final InputStream input;
    private final long pid = ProcessHandle.current().pid();
    private volatile boolean closing;
    /** The session whose reply streams now, or null: Ctrl-C cancels that reply instead of leaving. */
    private volatile String replying;
    private volatile ChatClient chatClient;

    ChatRun(Settings settings, Terminal terminal, InputStream input) {
        this.settings = settings;
        this.terminal = terminal;
        this.input = input;
    }

    int run() {
        HomeFolder home = HomeFolder.fromEnvironment();
        FileDaemonRegistry registry = home.openRegistry(terminal::warning);
        Path workspace = DaemonRun.workspaceRoot(settings.workspace());
        Path stateRoot = workspace.resolve(STATE_DIR).toAbsolutePath().normalize();
        DaemonRun.checkHost(settings.host());
        if (settings.port() != 0 && !PortProbe.canBind(settings.host(), settings.port())) {
            throw portInUse();
        }
        Optional<ServerRecord> live = freshLiveServer(registry);
        if (live.isPresent()) {
            ServerRecord server = live.get();
            terminal.line("Heddle " + server.mode().wireName() + " server running at " + server.endpointUrl()
                    + " (serverId=" + server.serverId() + "): this chat takes the live record over while it runs;"
                    + " that server keeps serving and takes the record back when chat exits.");
        }

        String serverId = ServerMode.EMBEDDED_CHAT.wireName() + "-" + pid + "-" + System.currentTimeMillis();
        RunFiles.pruneDeadProcesses(home);
        Path logFile = stateRoot.resolve("logs").resolve("server.log");
        System.setProperty(DaemonRun.LOG_FILE_PROPERTY, logFile.toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", Boolean.TRUE);
        config.put("host", settings.host());
        config.put("port", settings.port());
        config.put("workspaceRoot", workspace.toString());
        config.put("stateDir", stateRoot.toString());
        config.put("ownership", "TAKE_OVER");
        config.put("serverId", serverId);

        ShutdownRequests shutdown = new ShutdownRequests(terminal);
        shutdown.interceptInterrupt(this::cancelReply);
        shutdown.trapSignals();
        // chat watches the default (or configured) extensions folder, like a daemon without --extensions-dir
        FelixBoot boot = FelixBoot.start(Distribution.locate(), home, serverId, Optional.empty(), terminal);
        int code = Heddle.OK;
        try {
            if (boot.configure(PID, config, DaemonRun.LIFECYCLE_DEADLINE, shutdown)) {
                EmbeddedChatHost host = boot.awaitService(EmbeddedChatHost.class, "embedded-chat host",
                        DaemonRun.LIFECYCLE_DEADLINE, shutdown);
                ServerHandle handle = host == null ? null : awaitServer(host, shutdown, logFile);
                if (handle != null) {
                    code = serve(handle, shutdown, logFile);
                }
            }
        } finally {
            if (!boot.shutDown(terminal, logFile)) {
                code = Heddle.FAILURE;
            }
        }
        return code;
    }

    /** The started server; null when a stop was requested first; a failure to start is exit 1. */
    private ServerHandle awaitServer(EmbeddedChatHost host, ShutdownRequests shutdown, Path logFile) {
        long end = System.nanoTime() + DaemonRun.LIFECYCLE_DEADLINE.toNanos();
        try {
            while (!shutdown.isRequested()) {
                Optional<ServerHandle> handle = host.awaitServer(Duration.ofMillis(200));
                if (handle.isPresent()) {
                    return handle.get();
                }
                Optional<ServerStartException> failure = host.lastFailure();
                if (failure.isPresent()) {
                    ServerStartException e = failure.get();
                    if (e.reason() == ServerStartException.Reason.PORT_IN_USE) {
                        throw portInUse();
                    }
                    throw CommandFailure.runtime(DaemonRun.sentence(e.getMessage()) + DaemonRun.withLog(logFile), e);
                }
                if (System.nanoTime() > end) {
                    throw CommandFailure.runtime("The embedded-chat server did not start within "
                            + DaemonRun.LIFECYCLE_DEADLINE.toSeconds() + " s. See " + logFile
                            + ", or run with HEDDLE_DEBUG=1 for details.");
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CommandFailure.runtime("Interrupted while waiting for the embedded-chat server. Try again.", e);
        }
    }

    /** Prints the start lines, converses until asked to stop, closes the server. */
    private int serve(ServerHandle handle, ShutdownRequests shutdown, Path logFile) {
        handle.onShutdownRequest(() -> shutdown.request("shutdown request"));
        terminal.line("Heddle chat server listening at " + handle.endpointUrl());
        terminal.line("serverId=" + handle.serverId());
        terminal.line("workspace=" + handle.workspaceRoot());
        terminal.line("state=" + handle.stateRoot());
        terminal.line("registry=" + handle.registryPath());
        if (!PortProbe.isLoopback(handle.host())) {
            terminal.warning("listening on " + handle.host() + ", which is not a loopback address: other machines"
                    + " can reach this server, and every request needs the token in " + handle.tokenFile() + ".");
        }
        CommandFailure failed = null;
        try {
            ChatClient client = new ChatClient(handle.host(), handle.port(), handle.token(), "heddle-chat-" + pid);
            String sessionId = openSession(client);
            chooseEngine(client, sessionId);
            chatClient = client;
            terminal.line("session=" + sessionId);
            terminal.line("Type a message and press Enter; " + EXIT_COMMAND + " or Ctrl-D leaves.");
            Thread conversation = new Thread(() -> converse(client, sessionId, shutdown), "heddle-chat-terminal");
            conversation.setDaemon(true);
            conversation.start();
            shutdown.await();
        } catch (CommandFailure e) {
            failed = e;
        }
        closing = true;
        try {
            handle.close();
            if (failed != null) {
                throw failed;
            }
            terminal.line("Heddle chat server stopped (serverId=" + handle.serverId() + ")");
            return Heddle.OK;
        } catch (RuntimeException e) {
            if (e == failed) {
                throw failed;
            }
            terminal.problem("heddle: closing server " + handle.serverId() + " failed: "
                    + DaemonRun.sentence(e.getMessage()) + " Check " + logFile
                    + ", and run 'heddle status' to see whether its record is gone.");
            terminal.trace(e);
            return Heddle.FAILURE;
        }
    }

    private String openSession(ChatClient client) {
        String wanted = settings.session().orElse(null);
        try {
            if (wanted != null) {
                Map<String, Object> existing = client.session(wanted);
                if (existing != null) {
                    Object count = existing.get("messageCount");
                    terminal.line("Continuing chat session " + wanted + " (" + (count == null ? "?" : count)
                            + " messages).");
                    return wanted;
                }
            }
            Map<String, Object> created = client.createSession(wanted);
            Object id = created.get("id");
            if (!(id instanceof String)) {
                throw CommandFailure.runtime("The chat server created a session without an id. Run again with"
                        + " HEDDLE_DEBUG=1, and report it.");
            }
            return (String) id;
        } catch (ChatClient.Refusal e) {
            throw CommandFailure.runtime("Cannot open chat session" + (wanted == null ? "" : " " + wanted) + ": "
                    + DaemonRun.sentence(e.getMessage()), e);
        } catch (IOException e) {
            throw CommandFailure.runtime("The chat server did not answer (" + e.getMessage()
                    + "). Run again with HEDDLE_DEBUG=1 for details.", e);
        }
    }

    private void chooseEngine(ChatClient client, String sessionId) {
        if (settings.engine().isEmpty()) {
            return;
        }
        try {
            client.chooseEngine(sessionId, settings.engine().get());
            terminal.line("engine=" + settings.engine().get());
        } catch (ChatClient.Refusal e) {
            throw CommandFailure.runtime("Cannot use engine " + settings.engine().get() + ": "
                    + DaemonRun.sentence(e.getMessage()), e);
        } catch (IOException e) {
            throw CommandFailure.runtime("The chat server did not answer (" + e.getMessage()
                    + "). Run again with HEDDLE_DEBUG=1 for details.", e);
        }
    }

    /**
     * Ctrl-C while a reply streams: asks the server to stop it (on a thread of its own, as this
     * runs in the signal handler) and keeps the chat open. At the prompt: false, so Ctrl-C leaves.
     */
    private boolean cancelReply() {
        String sessionId = replying;
        ChatClient client = chatClient;
        if (sessionId == null || client == null || closing) {
            return false;
        }
        Thread canceller = new Thread(() -> {
            try {
                client.cancel(sessionId);
            } catch (ChatClient.Refusal | IOException e) {
                // the reply ended meanwhile: nothing to stop
            }
        }, "heddle-chat-cancel");
        canceller.setDaemon(true);
        canceller.start();
        return true;
    }

    /** On its own thread: each line typed is sent; end of input or /exit asks for the stop. */
    private void converse(ChatClient client, String sessionId, ShutdownRequests shutdown) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        try {
            while (!shutdown.isRequested()) {
                String line = reader.readLine();
                if (line == null) {
                    shutdown.request("end of input");
                    return;
                }
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                if (text.equals(EXIT_COMMAND)) {
                    shutdown.request(EXIT_COMMAND);
                    return;
                }
                send(client, sessionId, text);
            }
        } catch (IOException e) {
            if (!closing) {
                terminal.problem("heddle: cannot read the terminal (" + e.getMessage() + "); leaving the chat.");
                terminal.trace(e);
            }
            shutdown.request("input failed");
        }
    }

    private void send(ChatClient client, String sessionId, String text) {
        ReplyPrinter printer = new ReplyPrinter(terminal);
        replying = sessionId;
        try {
            client.send(sessionId, text, printer::line);
            replying = null;
            printer.end();
        } catch (ChatClient.Refusal e) {
            replying = null;
            printer.end();
            terminal.problem("heddle: the message was not sent: " + DaemonRun.sentence(e.getMessage()));
        } catch (IOException e) {
            replying = null;
            printer.end();
            if (!closing) {
                terminal.problem("heddle: the chat server did not answer (" + e.getMessage()
                        + "). Type the message again, or " + EXIT_COMMAND + " to leave.");
                terminal.trace(e);
            }
        }
    }

    /** Prints a streamed reply: chunks as they come, system notices as {@code [system] ...} lines. */
    static final class ReplyPrinter {
        private final Terminal terminal;
        private boolean streamed;
        private boolean midLine;

        ReplyPrinter(Terminal terminal) {
            this.terminal = terminal;
        }

        void line(Map<String, Object> line) {
            Object type = line.get("type");
            if ("chunk".equals(type)) {
                Object text = line.get("text");
                if (text instanceof String && !((String) text).isEmpty()) {
                    String t = (String) text;
                    terminal.out().print(t);
                    terminal.out().flush();
                    streamed = true;
                    midLine = !t.endsWith("\n");
                }
            } else if ("message".equals(type)) {
                Map<String, Object> message = ChatClient.object(line.get("message"));
                Object role = message.get("role");
                Object text = message.get("text");
                if (!(text instanceof String)) {
                    return;
                }
                if ("assistant".equals(role)) {
                    if (!streamed) {
                        terminal.line(((String) text).stripTrailing());
                    } else {
                        end();
                    }
                    streamed = false;
                } else if ("system".equals(role)) {
                    end();
                    terminal.line("[system] " + ((String) text).stripTrailing());
                }
            }
        }

        /** Ends a line the reply left open. */
        void end() {
            if (midLine) {
                terminal.out().println();
                terminal.out().flush();
                midLine = false;
            }
        }
    }

    private CommandFailure portInUse() {
        return CommandFailure.runtime("Port " + settings.port() + " on " + settings.host()
                + " is already in use by another program. Stop that program, or choose another port with --port"
                + " (0, the default, picks a free one).");
    }

    private Optional<ServerRecord> freshLiveServer(FileDaemonRegistry registry) {
        try {
            return registry.resolveLiveServer().filter(LiveServer::fresh).map(LiveServer::server);
        } catch (RegistryException e) {
            throw CommandFailure.runtime(e.getMessage(), e);
        }
    }
}
