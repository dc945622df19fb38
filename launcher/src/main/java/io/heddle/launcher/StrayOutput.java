package io.heddle.launcher;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * While the framework runs, {@code System.out} and {@code System.err} belong to nobody inside it:
 * Event Admin's fallback logger, java.util.logging's console handler and any bundle's stray
 * {@code printStackTrace} would otherwise reach the terminal (the logging bundle itself never
 * prints there, not even when the log file cannot be written). The launcher writes through {@link Terminal}, which holds the real streams; these two
 * are swapped for a sink until the framework stops. With {@code HEDDLE_DEBUG=1} nothing is
 * swapped: everything goes to the terminal, as before.
 */
final class StrayOutput {

    private final PrintStream out;
    private final PrintStream err;
    private boolean restored;

    private StrayOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Swaps {@code System.out} and {@code System.err} for a sink (not with {@code HEDDLE_DEBUG=1}). */
    static StrayOutput install(Terminal terminal) {
        StrayOutput previous = new StrayOutput(System.out, System.err);
        if (terminal.debug()) {
            previous.restored = true;
            return previous;
        }
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true);
        System.setOut(sink);
        System.setErr(sink);
        return previous;
    }

    /** Puts the streams back (once). */
    synchronized void restore() {
        if (!restored) {
            restored = true;
            System.setOut(out);
            System.setErr(err);
        }
    }
}
