package io.heddle.logging.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The line format the server's log had with log4j2:
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%t] %c{1.} - %msg%n%throwable}. The date is
 * formatted by hand (no {@code DateTimeFormatter} on the start path), its part up to the second
 * cached per second.
 */
final class LineFormat {

    private static final String NEWLINE = System.lineSeparator();
    private static final int MAX_CACHED_NAMES = 4096;

    private final ZoneId zone;
    private final ConcurrentHashMap<String, String> abbreviated = new ConcurrentHashMap<>();
    private volatile Second second = new Second(Long.MIN_VALUE, "", "");

    /** The date part of one second: "yyyy-MM-ddTHH:mm:ss." and the offset ("Z" or "+hh:mm"). */
    private static final class Second {
        final long epochSecond;
        final String upToSeconds;
        final String offset;

        Second(long epochSecond, String upToSeconds, String offset) {
            this.epochSecond = epochSecond;
            this.upToSeconds = upToSeconds;
            this.offset = offset;
        }
    }

    LineFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** One line, ending with the line separator, followed by the full stack trace of {@code thrown}. */
    String format(long epochMillis, Level level, String thread, String logger, String message, Throwable thrown) {
        StringBuilder line = new StringBuilder(80 + (message == null ? 4 : message.length()));
        appendTimestamp(line, epochMillis);
        line.append(' ').append(level.padded).append(" [").append(thread).append("] ");
        line.append(abbreviate(logger)).append(" - ").append(message).append(NEWLINE);
        if (thrown != null) {
            line.append(stackTrace(thrown));
        }
        return line.toString();
    }

    void appendTimestamp(StringBuilder line, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        Second cached = second;
        if (cached.epochSecond != epochSecond) {
            cached = second(epochSecond);
            second = cached;
        }
        line.append(cached.upToSeconds);
        if (millis < 100) {
            line.append('0');
        }
        if (millis < 10) {
            line.append('0');
        }
        line.append(millis).append(cached.offset);
    }

    private Second second(long epochSecond) {
        ZoneOffset offset = zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond));
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        StringBuilder b = new StringBuilder(24);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return new Second(epochSecond, b.toString(), offset(offset.getTotalSeconds()));
    }

    /** ISO 8601 offset as {@code XXX} prints it: "Z" for zero, else "+hh:mm" (seconds dropped). */
    static String offset(int totalSeconds) {
        if (totalSeconds == 0) {
            return "Z";
        }
        int abs = Math.abs(totalSeconds);
        StringBuilder b = new StringBuilder(6).append(totalSeconds < 0 ? '-' : '+');
        pad(b, abs / 3600, 2).append(':');
        pad(b, (abs / 60) % 60, 2);
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    /** log4j2's {@code %c{1.}}: every segment but the last cut to its first character. */
    String abbreviate(String logger) {
        if (logger == null) {
            return "null";
        }
        String cached = abbreviated.get(logger);
        if (cached == null) {
            cached = abbreviateUncached(logger);
            if (abbreviated.size() < MAX_CACHED_NAMES) {
                abbreviated.put(logger, cached);
            }
        }
        return cached;
    }

    static String abbreviateUncached(String logger) {
        int last = logger.lastIndexOf('.');
        if (last < 0) {
            return logger;
        }
        StringBuilder b = new StringBuilder(logger.length());
        int start = 0;
        while (start <= last) {
            int dot = logger.indexOf('.', start);
            if (dot > start) {
                b.append(logger.charAt(start));
            }
            b.append('.');
            start = dot + 1;
        }
        return b.append(logger, last + 1, logger.length()).toString();
    }

    static String stackTrace(Throwable thrown) {
        StringWriter text = new StringWriter(1024);
        try (PrintWriter out = new PrintWriter(text)) {
            thrown.printStackTrace(out);
        } catch (RuntimeException e) {
            return thrown.getClass().getName() + " (its stack trace could not be printed: " + e + ")" + NEWLINE;
        }
        return text.toString();
    }
}
