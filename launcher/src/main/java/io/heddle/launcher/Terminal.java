package io.heddle.launcher;

import java.io.PrintStream;

/**
 * The only place the launcher writes to the terminal: facts on stdout, one line per problem on
 * stderr, stack traces only when {@code HEDDLE_DEBUG=1}.
 */
final class Terminal {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Terminal(PrintStream out, PrintStream err, boolean debug) {
        this.out = out;
        this.err = err;
        this.debug = debug;
    }

    static Terminal system() {
        return new Terminal(System.out, System.err, "1".equals(System.getenv("HEDDLE_DEBUG")));
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    boolean debug() {
        return debug;
    }

    /** One fact on stdout. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** One problem on stderr: what went wrong and what to do. */
    void problem(String text) {
        err.println(text);
        err.flush();
    }

    /** A warning on stderr (the command goes on); the same warning is printed once. */
    void warning(String text) {
        if (warned.add(text)) {
            problem("heddle: warning: " + text);
        }
    }

    /**
     * {@link #warning} as a {@code Consumer} (for the registry's warnings). A named class, not a
     * method reference: the attach path runs without {@code java.lang.invoke}.
     */
    java.util.function.Consumer<String> warnings() {
        return new Warnings(this);
    }

    private static final class Warnings implements java.util.function.Consumer<String> {
        private final Terminal terminal;

        Warnings(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public void accept(String text) {
            terminal.warning(text);
        }
    }

    /** The stack trace behind a problem, only with {@code HEDDLE_DEBUG=1}. */
    void trace(Throwable t) {
        if (debug && t != null) {
            t.printStackTrace(err);
            err.flush();
        }
    }
}
