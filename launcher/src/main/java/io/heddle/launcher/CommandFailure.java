package io.heddle.launcher;

/**
 * A command ends with a non-zero exit code. The message is the one stderr line the user sees:
 * it names the cause and what to do.
 */
final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Exit 1: something at run time went wrong (port in use, assets missing, registry unwritable...). */
    static CommandFailure runtime(String message) {
        return new CommandFailure(Heddle.FAILURE, message, null);
    }

    static CommandFailure runtime(String message, Throwable cause) {
        return new CommandFailure(Heddle.FAILURE, message, cause);
    }

    /** Exit 2: the command line is wrong. */
    static CommandFailure usage(String message) {
        return new CommandFailure(Heddle.USAGE, message, null);
    }

    /** Exit 3: no server is running. */
    static CommandFailure nothingRunning(String message) {
        return new CommandFailure(Heddle.NOT_RUNNING, message, null);
    }

    int exitCode() {
        return exitCode;
    }
}
