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

    private CorruptFiles() {}

    /** Renames {@code file} aside and answers the new path. */
    public static Path setAside(Path file, Clock clock) throws IOException {
        return aside(file, clock, false);
    }

    /**
     * Copies {@code file} aside under the same name, leaving it in place (before a rewrite that
     * would lose parts of it that could not be read), and answers the copy's path.
     */
    public static Path copyAside(Path file, Clock clock) throws IOException {
        return aside(file, clock, true);
    }

    private static Path aside(Path file, Clock clock, boolean copy) throws IOException {
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
            if (copy) {
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
            } else {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        }
    }
}
