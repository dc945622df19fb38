package io.heddle.lifecycle.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Logs requests refused for bad input at most once per {@link #WINDOW} per cause, with the
 * attacker's input cut to {@link #MAX_INPUT_CHARS} characters and stripped of control
 * characters, so that a flood of bad requests cannot flood the log or forge lines in it. A
 * line that follows a quiet period says how many refusals of that cause were not logged.
 *
 * <p>Causes are a small fixed set chosen by the caller (a code such as {@code forbidden_host}
 * or {@code http_400}), never the input itself, so the map stays small.
 */
final class RefusalLog {

    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int MAX_INPUT_CHARS = 80;

    private static final class Window {
        Instant lastLogged;
        long suppressed;
    }

    private final Clock clock;
    private final Consumer<String> sink;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param clock the time source (injected so tests control the window)
     * @param sink  receives each line to log
     */
    RefusalLog(Clock clock, Consumer<String> sink) {
        this.clock = clock;
        this.sink = sink;
    }

    /**
     * Records one refusal; logs it unless this cause was logged less than a window ago.
     *
     * @param cause  the fixed name of the cause
     * @param what   what was refused, in our words (not attacker input)
     * @param input  the offending input, or null; truncated before logging
     * @return true when a line was logged
     */
    boolean refused(String cause, String what, String input) {
        OptionalLong admitted = admit(cause);
        if (admitted.isEmpty()) {
            return false;
        }
        StringBuilder line =
                new StringBuilder("Refused (").append(cause).append("): ").append(what);
        if (input != null) {
            line.append(": ").append(truncate(input));
        }
        long suppressed = admitted.getAsLong();
        if (suppressed > 0) {
            line.append(" (and ").append(suppressed).append(" more of this cause since the last report)");
        }
        line.append("; further refusals of this cause are logged at most once a minute");
        sink.accept(line.toString());
        return true;
    }

    /** Empty when this cause is muted now, else how many of its refusals went unlogged since its last line. */
    private OptionalLong admit(String cause) {
        Window window = windows.computeIfAbsent(cause, c -> new Window());
        Instant now = clock.instant();
        synchronized (window) {
            if (window.lastLogged != null && now.isBefore(window.lastLogged.plus(WINDOW))) {
                window.suppressed++;
                return OptionalLong.empty();
            }
            long suppressed = window.suppressed;
            window.lastLogged = now;
            window.suppressed = 0;
            return OptionalLong.of(suppressed);
        }
    }

    /** The input cut to {@value #MAX_INPUT_CHARS} characters, control characters shown as {@code ?}, quoted. */
    static String truncate(String input) {
        int keep = Math.min(input.length(), MAX_INPUT_CHARS);
        StringBuilder out = new StringBuilder(keep + 24).append('\'');
        for (int i = 0; i < keep; i++) {
            char c = input.charAt(i);
            out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?' : c);
        }
        out.append('\'');
        if (input.length() > keep) {
            out.append("… (").append(input.length()).append(" chars)");
        }
        return out.toString();
    }
}
