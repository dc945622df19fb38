package io.heddle.launcher;

import io.heddle.api.chat.EmbeddedChatHost;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.LiveServer;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code heddle chat}, attach-or-embed: when a fresh server is live, chat attaches to it and
 * talks to its chat API over HTTP (with the token in {@code $HEDDLE_HOME/run/<serverId>.token}),
 * for the workspace of the current folder, which it registers with that server; the registry is
 * not touched. Only when none is live does it boot the framework and have the
 * {@code chat-embedded} host start an {@code embedded-chat} server (through a configuration
 * {@value #PID} written into this run's Configuration Admin, so it ends with the run), which
 * claims the live record. Then a line-based conversation with one session, until
 * {@code /exit}, end of input, a signal or a shutdown request; leaving gives the session's lease
 * up through the API.
 */
final class ChatRun {

    /** The options of one chat, as parsed. */
    record Settings(
            String host,
            int port,
            Optional<Path> workspace,
            Optional<String> session,
            int history,
            Optional<String> engine) {}

    static final String PID = "io.heddle.chat.embedded";
    static final String STATE_DIR = ".heddle";
    static final String EXIT_COMMAND = "/exit";
    static final String HELP_COMMAND = "/help";
    static final String HISTORY_COMMAND = "/history";
    static final String PROMPT = "> ";
    static final int DEFAULT_HISTORY = 20;
    private static final Pattern COMMAND = Pattern.compile("/[a-z]+");

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

    /** The embedded server could not claim the record: another server became live meanwhile. */
    private static final class AttachInstead extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AttachInstead() {
            super(null, null, false, false);
        }
    }

    int run() {
        HomeFolder home = HomeFolder.fromEnvironment();
        FileDaemonRegistry registry = home.openRegistry(terminal::warning);
        Path workspace = DaemonRun.workspaceRoot(settings.workspace());
        Optional<ServerRecord> live = freshLiveServer(registry);
        if (live.isPresent()) {
            return attach(home, live.get(), workspace);
        }
        try {
            return embed(home, workspace);
        } catch (AttachInstead e) {
            ServerRecord server = freshLiveServer(registry)
                    .orElseThrow(() -> CommandFailure.runtime(
                            "Another Heddle server claimed the live record and is gone again. Run heddle chat again."));
            return attach(home, server, workspace);
        }
    }

    // --- attach ---

    private int attach(HomeFolder home, ServerRecord server, Path workspace) {
        String token = readToken(home, server);
        terminal.line("Attached to the Heddle " + server.mode().wireName() + " server at " + server.endpointUrl()
                + " (serverId=" + server.serverId() + "); no server of its own was started.");
        ShutdownRequests shutdown = new ShutdownRequests(terminal);
        shutdown.interceptInterrupt(this::cancelReply);
        shutdown.trapSignals();
        ChatClient client =
                new ChatClient(server.host(), server.port(), token, "heddle-chat-" + pid, ChatClient.ownProcess());
        try {
            Map<String, Object> descriptor = client.registerWorkspace(workspace);
            Object id = descriptor.get("id");
            if (!(id instanceof String)) {
                throw CommandFailure.runtime("The server at " + server.endpointUrl() + " registered the workspace "
                        + workspace + " without an id. Run again with HEDDLE_DEBUG=1, and report it.");
            }
            client = client.inWorkspace((String) id);
            terminal.line("workspace=" + descriptor.getOrDefault("name", workspace.getFileName()) + " (" + workspace
                    + ", " + id + ")");
        } catch (ChatClient.Refusal e) {
            throw CommandFailure.runtime(
                    "The server at " + server.endpointUrl() + " refused the workspace " + workspace + ": "
                            + DaemonRun.sentence(e.getMessage()),
                    e);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "The server at " + server.endpointUrl() + " did not answer (" + e.getMessage()
                            + "). Run 'heddle status', then heddle chat again.",
                    e);
        }
        converse(client, shutdown);
        closing = true;
        return Heddle.OK;
    }

    private String readToken(HomeFolder home, ServerRecord server) {
        return LiveServerLookup.open(terminal).token(server);
    }

    // --- embed ---

    private int embed(HomeFolder home, Path workspace) {
        Path stateRoot = workspace.resolve(STATE_DIR).toAbsolutePath().normalize();
        DaemonRun.checkHost(settings.host());
        if (settings.port() != 0 && !PortProbe.canBind(settings.host(), settings.port())) {
            throw portInUse();
        }
        String serverId = ServerMode.EMBEDDED_CHAT.wireName() + "-" + pid + "-" + System.currentTimeMillis();
        RunFiles.pruneDeadProcesses(home);
        Path logFile = stateRoot.resolve("logs").resolve("server.log");
        WriteFailures.Places places = new WriteFailures.Places(home.root(), workspace, stateRoot);
        StartFolders.prepareState(places, logFile, terminal);
        System.setProperty(DaemonRun.LOG_FILE_PROPERTY, logFile.toString());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("enabled", Boolean.TRUE);
        config.put("host", settings.host());
        config.put("port", settings.port());
        config.put("workspaceRoot", workspace.toString());
        config.put("stateDir", stateRoot.toString());
        // Embedded only because no server is live: one that became live meanwhile is attached to instead.
        config.put("ownership", "CLAIM");
        config.put("serverId", serverId);

        ShutdownRequests shutdown = new ShutdownRequests(terminal);
        shutdown.interceptInterrupt(this::cancelReply);
        shutdown.trapSignals();
        // chat watches the default (or configured) extensions folder, like a daemon without --extensions-dir
        FelixBoot boot = FelixBoot.start(Distribution.locate(), home, serverId, Optional.empty(), terminal);
        int code = Heddle.OK;
        try {
            if (boot.configure(PID, config, DaemonRun.LIFECYCLE_DEADLINE, shutdown)) {
                EmbeddedChatHost host = boot.awaitService(
                        EmbeddedChatHost.class, "embedded-chat host", DaemonRun.LIFECYCLE_DEADLINE, shutdown);
                ServerHandle handle = host == null ? null : awaitServer(host, shutdown, places, logFile);
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
    private ServerHandle awaitServer(
            EmbeddedChatHost host, ShutdownRequests shutdown, WriteFailures.Places places, Path logFile) {
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
                    if (e.reason() == ServerStartException.Reason.OWNER_CONFLICT) {
                        throw new AttachInstead();
                    }
                    throw CommandFailure.runtime(DaemonRun.startFailure(e, places, logFile), e);
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
        terminal.line("No Heddle server was running: started an embedded-chat server at " + handle.endpointUrl()
                + "; it stops when this chat ends.");
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
            converse(
                    new ChatClient(
                            handle.host(),
                            handle.port(),
                            handle.token(),
                            "heddle-chat-" + pid,
                            ChatClient.ownProcess()),
                    shutdown);
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

    // --- the conversation ---

    /** Opens the session, shows its last messages, reads lines until asked to stop, gives the lease up. */
    private void converse(ChatClient client, ShutdownRequests shutdown) {
        String sessionId = openSession(client);
        chooseEngine(client, sessionId);
        chatClient = client;
        terminal.line("Type a message and press Enter; " + HELP_COMMAND + " lists the commands, " + EXIT_COMMAND
                + " or Ctrl-D leaves.");
        Thread conversation = new Thread(() -> readLines(client, sessionId, shutdown), "heddle-chat-terminal");
        conversation.setDaemon(true);
        conversation.start();
        shutdown.await();
        closing = true;
        releaseLease(client, sessionId);
    }

    private String openSession(ChatClient client) {
        String wanted = settings.session().orElse(null);
        try {
            if (wanted != null) {
                Map<String, Object> existing = client.session(wanted);
                if (existing != null) {
                    List<Object> messages = ChatClient.list(existing.get("messages"));
                    terminal.line("session=" + wanted);
                    terminal.line("Continuing chat session " + wanted + " (" + messages.size() + " messages).");
                    printMessages(messages, settings.history());
                    return wanted;
                }
            }
            Map<String, Object> created = client.createSession(wanted);
            Object id = created.get("id");
            if (!(id instanceof String)) {
                throw CommandFailure.runtime("The chat server created a session without an id. Run again with"
                        + " HEDDLE_DEBUG=1, and report it.");
            }
            terminal.line("session=" + id);
            return (String) id;
        } catch (ChatClient.Refusal e) {
            throw CommandFailure.runtime(
                    "Cannot open chat session" + (wanted == null ? "" : " " + wanted) + ": "
                            + DaemonRun.sentence(e.getMessage()),
                    e);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "The chat server did not answer (" + e.getMessage()
                            + "). Run again with HEDDLE_DEBUG=1 for details.",
                    e);
        }
    }

    /** Prints the last {@code limit} messages, with a line saying how many were left out. */
    private void printMessages(List<Object> messages, int limit) {
        if (limit <= 0 || messages.isEmpty()) {
            return;
        }
        int from = Math.max(0, messages.size() - limit);
        if (from > 0) {
            terminal.line("... " + from + " earlier message" + (from == 1 ? "" : "s") + " not shown (" + HISTORY_COMMAND
                    + " shows all)");
        }
        for (Object m : messages.subList(from, messages.size())) {
            Map<String, Object> message = ChatClient.object(m);
            Object role = message.get("role");
            Object text = message.get("text");
            if (!(text instanceof String)) {
                continue;
            }
            String body = ((String) text).stripTrailing();
            if ("user".equals(role)) {
                terminal.line(PROMPT + body);
            } else if ("system".equals(role)) {
                terminal.line("[system] " + body);
            } else {
                terminal.line(body);
            }
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
            throw CommandFailure.runtime(
                    "Cannot use engine " + settings.engine().get() + ": " + DaemonRun.sentence(e.getMessage()), e);
        } catch (IOException e) {
            throw CommandFailure.runtime(
                    "The chat server did not answer (" + e.getMessage()
                            + "). Run again with HEDDLE_DEBUG=1 for details.",
                    e);
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
        Thread canceller = new Thread(
                () -> {
                    try {
                        client.cancel(sessionId);
                    } catch (ChatClient.Refusal | IOException e) {
                        // the reply ended meanwhile: nothing to stop
                    }
                },
                "heddle-chat-cancel");
        canceller.setDaemon(true);
        canceller.start();
        return true;
    }

    /** The stream's line that stores the reply (or the notice that replaces it): the reply is over. */
    static boolean replyEnded(Map<String, Object> line) {
        if (!"message".equals(line.get("type"))) {
            return false;
        }
        Object role = ChatClient.object(line.get("message")).get("role");
        return "assistant".equals(role) || "system".equals(role);
    }

    /** On its own thread: each line typed is sent; end of input or /exit asks for the stop. */
    private void readLines(ChatClient client, String sessionId, ShutdownRequests shutdown) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
        try {
            while (!shutdown.isRequested()) {
                prompt();
                String line = reader.readLine();
                if (line == null) {
                    terminal.line(""); // end the prompt's line
                    shutdown.request("end of input");
                    return;
                }
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                if (COMMAND.matcher(text).matches()) {
                    if (text.equals(EXIT_COMMAND)) {
                        shutdown.request(EXIT_COMMAND);
                        return;
                    }
                    command(client, sessionId, text);
                    continue;
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

    private void prompt() {
        terminal.out().print(PROMPT);
        terminal.out().flush();
    }

    private void command(ChatClient client, String sessionId, String command) {
        switch (command) {
            case HELP_COMMAND:
                terminal.line("Commands:");
                terminal.line("  " + HELP_COMMAND + "     lists these commands");
                terminal.line("  " + HISTORY_COMMAND + "  prints the whole conversation of session " + sessionId);
                terminal.line("  " + EXIT_COMMAND + "     leaves the chat (so do Ctrl-D and Ctrl-C)");
                terminal.line("Any other line is sent as a message.");
                return;
            case HISTORY_COMMAND:
                try {
                    Map<String, Object> session = client.session(sessionId);
                    List<Object> messages = session == null ? List.of() : ChatClient.list(session.get("messages"));
                    if (messages.isEmpty()) {
                        terminal.line("(no messages yet)");
                    }
                    printMessages(messages, Integer.MAX_VALUE);
                } catch (ChatClient.Refusal e) {
                    terminal.problem("heddle: cannot read the conversation: " + DaemonRun.sentence(e.getMessage()));
                } catch (IOException e) {
                    terminal.problem("heddle: the chat server did not answer (" + e.getMessage() + "). Try "
                            + HISTORY_COMMAND + " again, or " + EXIT_COMMAND + " to leave.");
                }
                return;
            default:
                terminal.problem("heddle: unknown command " + command + "; " + HELP_COMMAND + " lists the commands.");
        }
    }

    /** Leaving: the lease goes back at once, so that the next client (or this one, resumed) may write. */
    private void releaseLease(ChatClient client, String sessionId) {
        try {
            client.releaseLease(sessionId);
        } catch (ChatClient.Refusal | IOException e) {
            // not ours any more, or the server is gone: its lease runs out, or the holder's end frees it
            terminal.trace(e);
        }
    }

    private void send(ChatClient client, String sessionId, String text) {
        ReplyPrinter printer = new ReplyPrinter(terminal);
        replying = sessionId;
        try {
            client.send(sessionId, text, line -> {
                printer.line(line);
                if (replyEnded(line)) {
                    replying = null; // the reply is stored: a Ctrl-C from now on is at the prompt
                }
            });
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
        return LiveServerLookup.of(HomeFolder.fromEnvironment(), registry)
                .live()
                .filter(LiveServer::fresh)
                .map(LiveServer::server);
    }
}
