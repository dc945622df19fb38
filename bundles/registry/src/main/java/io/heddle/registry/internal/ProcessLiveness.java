package io.heddle.registry.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the process a record names is still the process that wrote it.
 *
 * <p>A pid alone is not enough: after a crash the pid may be reused by an unrelated
 * process, and a killed process stays a zombie until its parent reaps it. So a pid counts
 * as alive only when the process exists, is not a zombie, and (when the record kept it)
 * started at the recorded instant.
 */
public class ProcessLiveness {

    /** Two reads of one process's start instant may differ by clock-tick rounding. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    /** Answers why the process is dead, or empty when it is alive. Pid 0 means unknown: alive. */
    public Optional<String> deadReason(long pid, Instant recordedStart) {
        if (pid == 0) {
            return Optional.empty();
        }
        if (aliveByProc(pid, recordedStart)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Optional.of("process " + pid + " is not running");
        }
        if (isZombie(pid)) {
            return Optional.of("process " + pid + " has exited (zombie)");
        }
        if (recordedStart != null) {
            Optional<Instant> actualStart = handle.get().info().startInstant();
            if (actualStart.isPresent()
                    && Duration.between(recordedStart, actualStart.get()).abs().compareTo(START_TOLERANCE) > 0) {
                return Optional.of("pid " + pid + " now belongs to another process (started " + actualStart.get()
                        + ", recorded " + recordedStart + ")");
            }
        }
        return Optional.empty();
    }

    /** The start instant of a live process, if the OS tells it. */
    public static Optional<Instant> startInstant(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
    }

    /** Clock ticks per second of {@code /proc}'s start times ({@code USER_HZ}, 100 on Linux's common architectures). */
    static final long PROC_TICKS_PER_SECOND = 100;

    /**
     * Linux only, and only ever a yes: true when {@code /proc/<pid>/stat} shows a process that is
     * not a zombie and (when {@code recordedStart} is given) whose start, computed as the JDK's
     * {@link ProcessHandle} computes it on Linux (the boot time of {@code /proc/stat} plus the
     * process's start in clock ticks), is within the tolerance of {@code recordedStart}. False
     * whenever it cannot tell: then {@link ProcessHandle} decides, as before.
     *
     * <p>It spares the launcher's attach path {@link ProcessHandle}, whose first use builds an
     * executor with lambdas and so sets up {@code java.lang.invoke}
     * (docs/decisions/0092-attach-path-without-invoke-and-formatters.md).
     */
    static boolean aliveByProc(long pid, Instant recordedStart) {
        String stat = readAscii(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) {
            return false;
        }
        // the command name (field 2) is in parentheses and may hold spaces: fields 3.. follow the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return false;
        }
        char state = stat.charAt(close + 2);
        if (state == 'Z' || state == 'X') {
            return false;
        }
        if (recordedStart == null) {
            return true;
        }
        Instant start = startOf(stat, close);
        return start != null && Duration.between(recordedStart, start).abs().compareTo(START_TOLERANCE) <= 0;
    }

    /** The start of a process as {@code /proc} tells it (null when it does not); for tests. */
    static Instant startByProc(long pid) {
        String stat = readAscii(Path.of("/proc", Long.toString(pid), "stat"));
        return stat == null || stat.lastIndexOf(')') < 0 ? null : startOf(stat, stat.lastIndexOf(')'));
    }

    /**
     * The boot time plus field 22 of {@code stat} (the start, in clock ticks after boot), in
     * milliseconds as the JDK computes it; null when either is missing.
     */
    private static Instant startOf(String stat, int close) {
        long startTicks = field(stat, close + 2, 22 - 3);
        long bootSeconds = bootTimeSeconds();
        if (startTicks < 0 || bootSeconds < 0) {
            return null;
        }
        return Instant.ofEpochMilli(bootSeconds * 1000 + startTicks * 1000 / PROC_TICKS_PER_SECOND);
    }

    /** The unsigned decimal number {@code index} space-separated fields after {@code from}, or -1. */
    static long field(String text, int from, int index) {
        int start = from;
        for (int i = 0; i < index; i++) {
            start = text.indexOf(' ', start);
            if (start < 0) {
                return -1;
            }
            start++;
        }
        int end = text.indexOf(' ', start);
        return unsigned(text, start, end < 0 ? text.length() : end);
    }

    /** {@code btime} of {@code /proc/stat}: when the machine booted, in seconds since the epoch; -1 when unknown. */
    static long bootTimeSeconds() {
        String stat = readAscii(Path.of("/proc/stat"));
        if (stat == null) {
            return -1;
        }
        int at = stat.startsWith("btime ") ? 0 : stat.indexOf("\nbtime ");
        if (at < 0) {
            return -1;
        }
        int start = stat.indexOf(' ', at + 1) + 1;
        int end = stat.indexOf('\n', start);
        return unsigned(stat, start, end < 0 ? stat.length() : end);
    }

    private static long unsigned(String text, int start, int end) {
        if (start >= end || end - start > 18) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static String readAscii(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException notLinuxOrGone) {
            return null;
        }
    }

    /** On Linux, state {@code Z} in {@code /proc/<pid>/stat}. Elsewhere: not known, so no. */
    static boolean isZombie(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
            // the command name (field 2) is in parentheses and may hold spaces: read after the last ')'
            int close = text.lastIndexOf(')');
            if (close < 0 || close + 2 >= text.length()) {
                return false;
            }
            char state = text.charAt(close + 2);
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException notLinuxOrGone) {
            return false;
        }
    }
}
