package io.heddle.chat.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The process of a chat client on this machine: its pid and the instant it started (so that a
 * reused pid is not taken for the holder). Sent as {@code Heddle-Client-Process: <pid> <start>},
 * the start as an ISO-8601 instant, and kept with the session lease.
 */
record ClientProcess(long pid, Instant startedAt) {

    /** Two reads of one process's start instant may differ by clock-tick rounding. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    ClientProcess {
        Objects.requireNonNull(startedAt, "startedAt");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
    }

    /** The header value: {@code <pid> <ISO instant>}. */
    String headerValue() {
        return pid + " " + startedAt;
    }

    /** Parses a header value; empty when it is not {@code <pid> <ISO instant>}. */
    static Optional<ClientProcess> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.strip().split(" +");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(parts[0]);
            return pid <= 0 ? Optional.empty() : Optional.of(new ClientProcess(pid, Instant.parse(parts[1])));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * True when this process has ended: no such pid, a zombie (killed, not reaped yet), or the
     * pid now belongs to a process that started at another instant.
     */
    boolean ended() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive() || zombie()) {
            return true;
        }
        Optional<Instant> actual = handle.get().info().startInstant();
        return actual.isPresent()
                && Duration.between(startedAt, actual.get()).abs().compareTo(START_TOLERANCE) > 0;
    }

    private boolean zombie() {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat, StandardCharsets.US_ASCII);
            int end = text.lastIndexOf(')');
            return end > 0 && end + 2 < text.length() && text.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException noProcFs) {
            return false;
        }
    }
}
