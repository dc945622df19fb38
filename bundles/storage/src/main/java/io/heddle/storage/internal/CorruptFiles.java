package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Sets a file that cannot be parsed aside as {@code <name>.corrupt-<UTC timestamp>} so that
 * nothing is silently lost and the next write starts clean.
 */
public final class CorruptFiles {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CorruptFiles() {
    }

    /** Renames {@code file} aside and answers the new path. */
    public static Path setAside(Path file, Clock clock) throws IOException {
        String base = file.getFileName() + ".corrupt-" + STAMP.format(clock.instant());
        for (int attempt = 0; ; attempt++) {
            Path target = file.resolveSibling(attempt == 0 ? base : base + "-" + attempt);
            // rename(2) replaces silently, so look first; callers hold the file's lock.
            if (Files.exists(target)) {
                if (attempt > 100) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                continue;
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        }
    }
}
