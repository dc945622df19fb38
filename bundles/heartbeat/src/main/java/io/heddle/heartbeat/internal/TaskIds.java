package io.heddle.heartbeat.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Task and run ids. Both become file names, so an id from a request is checked against
 * {@link #valid} before it touches the file system. Run ids start with their UTC start time,
 * so that file names sort in start order.
 */
final class TaskIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    private TaskIds() {}

    static boolean valid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static String newTaskId() {
        return "task-" + hex(6);
    }

    static String newRunId(Instant startedAt) {
        return "run-" + STAMP.format(startedAt) + "-" + hex(3);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        StringBuilder s = new StringBuilder(bytes * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return s.toString();
    }
}
