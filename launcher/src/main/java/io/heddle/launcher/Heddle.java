package io.heddle.launcher;

import java.util.OptionalInt;

/**
 * The {@code heddle} command's entry point, and the only code that ends the process: exit 0
 * done, 1 runtime failure, 2 usage error, 3 nothing running.
 *
 * <p>{@code heddle daemon} while a fresh server is live must answer about as fast as a bare JVM
 * starts, so {@link AttachFastPath} decides that case before the command-line library is
 * even loaded; everything else goes through {@link HeddleCommand}.
 */
public final class Heddle {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int NOT_RUNNING = 3;

    private Heddle() {
    }

    public static void main(String[] args) {
        Terminal terminal = Terminal.system();
        OptionalInt attached = AttachFastPath.tryAttach(args, terminal);
        int code = attached.isPresent() ? attached.getAsInt() : HeddleCommand.run(args, terminal);
        System.exit(code);
    }
}
