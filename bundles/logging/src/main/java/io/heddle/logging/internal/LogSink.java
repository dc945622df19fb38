package io.heddle.logging.internal;

/** Where formatted lines go. Implementations never throw and are safe for concurrent use. */
interface LogSink {

    /** Writes one formatted line (with its stack trace, if any); a failure is swallowed. */
    void write(String text);

    /** Releases what the sink holds; a later {@link #write} may open it again. */
    default void close() {}
}
