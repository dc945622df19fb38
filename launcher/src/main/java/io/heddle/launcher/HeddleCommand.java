package io.heddle.launcher;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code heddle} command line (picocli): the root command, its subcommands, and how usage
 * errors and failures become one stderr line and an exit code.
 */
@Command(
        name = "heddle",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Heddle: a local control-plane server for your workspaces.",
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = {
            "Files live in $HEDDLE_HOME (default ~/.heddle). Failures print one line on stderr;"
                    + " set HEDDLE_DEBUG=1 for stack traces. Run 'heddle COMMAND --help' for a command's options."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:runtime failure (port in use, assets missing, registry unwritable, close failed)",
            "2:usage error",
            "3:nothing running (status, stop, open, and the commands that talk to the server)"
        })
final class HeddleCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Runs one command line and answers its exit code; never exits. */
    static int run(String[] args, Terminal terminal) {
        return commandLine(terminal).execute(args);
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandLine.IFactory factory = factory(terminal);
        CommandLine cl = new CommandLine(new HeddleCommand(), factory);
        cl.addSubcommand(new DaemonCommand(terminal));
        cl.addSubcommand(new ChatCommand(terminal));
        cl.addSubcommand(new StatusCommand(terminal));
        cl.addSubcommand(new StopCommand(terminal));
        cl.addSubcommand(new OpenCommand(terminal));
        cl.addSubcommand(new CommandLine(new TaskCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new RunsCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new RunCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new WorkspaceCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new ExtCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new LogsCommand(terminal), factory));
        cl.addSubcommand(new CommandLine(new EventsCommand(terminal), factory));
        cl.setOut(new PrintWriter(terminal.out(), true));
        cl.setErr(new PrintWriter(terminal.err(), true));
        cl.setParameterExceptionHandler((ex, args) -> usageError(ex, terminal));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Heddle.failure(ex, terminal));
        return cl;
    }

    /** Creates subcommands (and their options' holders) with the terminal when they take one. */
    static CommandLine.IFactory factory(Terminal terminal) {
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                java.lang.reflect.Constructor<K> withTerminal;
                try {
                    withTerminal = type.getDeclaredConstructor(Terminal.class);
                } catch (NoSuchMethodException none) {
                    return fallback.create(type);
                }
                withTerminal.setAccessible(true);
                return withTerminal.newInstance(terminal);
            }
        };
    }

    /** No command: a usage error. */
    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "No command given. Run 'heddle daemon' to start the server, or pick a command below");
    }

    /** One line naming the cause and the fix, then the usage of the command concerned. */
    private static int usageError(ParameterException ex, Terminal terminal) {
        CommandLine cl = ex.getCommandLine();
        String command = cl.getCommandSpec().qualifiedName(" ");
        String message = ex.getMessage() == null
                ? "Invalid command line"
                : ex.getMessage().strip();
        String fix;
        if (ex instanceof UnmatchedArgumentException) {
            fix = "Remove it, or see the options of '" + command + "' below.";
        } else if (message.contains("is not a port number")
                || message.contains("is not a number of seconds")
                || message.contains("is not a duration")
                || message.contains("is not a count")
                || message.contains("below")) {
            fix = "";
        } else {
            fix = "See the usage of '" + command + "' below.";
        }
        terminal.problem(command + ": " + sentence(message) + (fix.isEmpty() ? "" : " " + fix));
        terminal.trace(ex);
        cl.usage(terminal.err());
        terminal.err().flush();
        return Heddle.USAGE;
    }

    private static String sentence(String message) {
        return message.endsWith(".") ? message : message + ".";
    }
}
