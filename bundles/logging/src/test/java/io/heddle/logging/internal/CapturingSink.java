package io.heddle.logging.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every line written, for tests. */
final class CapturingSink implements LogSink {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void write(String text) {
        lines.add(text);
    }
}
