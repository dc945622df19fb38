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
