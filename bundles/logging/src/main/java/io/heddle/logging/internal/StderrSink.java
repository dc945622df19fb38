package io.heddle.logging.internal;

/** The sink when no log file is named ({@code heddle.log.file} unset): the current {@code System.err}. */
final class StderrSink implements LogSink {

    @Override
    public synchronized void write(String text) {
        try {
            System.err.print(text);
            System.err.flush();
        } catch (RuntimeException e) {
            // nothing else to write it to
        }
    }
}
