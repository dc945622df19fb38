package io.heddle.launcher;

import java.util.Optional;

/**
 * The {@code heddle} command's entry point, and the only code that ends the process: exit 0
 * done, 1 runtime failure, 2 usage error, 3 nothing running.
 *
 * <p>{@code heddle daemon} while a fresh server is live must answer about as fast as a bare JVM
 * starts, so ordinary {@code daemon} command lines are parsed by {@link DaemonArgs} and never load
 * the command-line library; everything else goes through {@link HeddleCommand} (picocli).
 */
public final class Heddle {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOT_RUNNING = 3;

    private Heddle() {}

    public static void main(String[] args) {
        Terminal terminal = Terminal.system();
        if (args.length > 0 && args[0].equals(CompletionCandidates.COMMAND)) {
            System.exit(CompletionCandidates.print(args, terminal));
        }
        Optional<DaemonRun.Settings> daemon = DaemonArgs.parse(args);
        int code;
        if (daemon.isPresent()) {
            try {
                code = new DaemonRun(daemon.get(), terminal).run();
            } catch (RuntimeException e) {
                code = failure(e, terminal);
            }
        } else {
            code = HeddleCommand.run(args, terminal);
        }
        System.exit(code);
    }

    /** One stderr line for a failed command (the stack trace only with HEDDLE_DEBUG=1); answers the exit code. */
    static int failure(Exception ex, Terminal terminal) {
        if (ex instanceof CommandFailure) {
            CommandFailure failure = (CommandFailure) ex;
            terminal.problem("heddle: " + failure.getMessage());
            terminal.trace(failure.getCause() != null ? failure.getCause() : failure);
            return failure.exitCode();
        }
        terminal.problem("heddle: unexpected failure: " + ex + ". Run again with HEDDLE_DEBUG=1 for the stack trace,"
                + " and report it.");
        terminal.trace(ex);
        return FAILURE;
    }
}
