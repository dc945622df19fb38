package io.heddle.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heddle chat}: an embedded-chat server and a line-based chat on the terminal. */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        sortOptions = false,
        description = {
            "Chats on the terminal with one session of the workspace: each line you type is sent, the reply"
                    + " prints as it streams. When a Heddle server is running, chat attaches to it (and registers the"
                    + " workspace with it); only when none runs does it start an embedded-chat server of its own.",
            "Ctrl-C while a reply streams stops that reply (the part that arrived is kept).",
            "/help lists the commands, /history prints the conversation. Leave with /exit, Ctrl-D or Ctrl-C at"
                    + " the prompt; leaving gives the session back at once, so it can be continued with --session."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the chat ended (and its embedded server, if it started one, closed cleanly)",
            "1:failure (port in use, workspace missing, registry unwritable, close failed)",
            "2:usage error"
        })
final class ChatCommand implements Callable<Integer> {

    static final String DEFAULT_PORT = "0";
    static final String SESSION_ID = "[A-Za-z0-9_-]{1,64}";
    static final String ENGINE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = DaemonCommand.DEFAULT_HOST,
            description = "Address for an embedded server (default: ${DEFAULT-VALUE}); not used when chat"
                    + " attaches to a running server.")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = DEFAULT_PORT,
            converter = PortConverter.class,
            description = "Port for an embedded server, 0 to 65535 (default: ${DEFAULT-VALUE}, any free port);"
                    + " not used when chat attaches to a running server.")
    int port;

    @Option(
            names = "--workspace",
            paramLabel = "DIR",
            description = "The workspace folder (default: the current folder).")
    Path workspace;

    @Option(
            names = "--session",
            paramLabel = "ID",
            description = "Continue the chat session ID of the workspace (created when it does not exist);"
                    + " default: a new session.")
    String session;

    @Option(
            names = "--history",
            paramLabel = "N",
            defaultValue = "" + ChatRun.DEFAULT_HISTORY,
            description = "With --session, print the last N messages of the session before the prompt"
                    + " (default: ${DEFAULT-VALUE}; 0 prints none).")
    String history;

    @Option(
            names = "--engine",
            paramLabel = "NAME",
            description = "Have the chat engine NAME answer in this session (stored with the session; see"
                    + " GET /api/chat/engines); default: the session's choice, else the highest-ranked engine.")
    String engine;

    private final Terminal terminal;

    ChatCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The parsed options, checked for what picocli cannot check alone. */
    ChatRun.Settings settings() {
        if (host == null || host.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(), "--host is empty. Give an address such as 127.0.0.1 (the default)");
        }
        DaemonCommand.requireNonEmpty(
                spec, "--workspace", workspace, "Give a folder, or leave the option out for the current folder");
        if (session != null && !session.matches(SESSION_ID)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "'" + session + "' is not a session id. Use 1 to 64 letters, digits, '-' or '_'");
        }
        int lines;
        try {
            lines = Integer.parseInt(history.strip());
        } catch (NumberFormatException e) {
            lines = -1;
        }
        if (lines < 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--history '" + history + "' is not a number of messages. Give 0 or more, such as --history 50");
        }
        if (engine != null && !engine.matches(ENGINE_NAME)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "'" + engine + "' is not an engine name. Use 1 to 64 letters, digits, '.', '-' or '_'");
        }
        return new ChatRun.Settings(
                host.trim(),
                port,
                Optional.ofNullable(workspace),
                Optional.ofNullable(session),
                lines,
                Optional.ofNullable(engine));
    }

    @Override
    public Integer call() {
        return new ChatRun(settings(), terminal, System.in).run();
    }
}
