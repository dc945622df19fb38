package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temp files of atomic replaces: {@code .<target name>.tmp-<writer pid>-<random hex>}, in
 * the target's folder. A writer that is killed between creating its temp file and moving it
 * over the target leaves it behind.
 *
 * <p>A temp file is <em>stale</em> when its name has this pattern and no live process can still
 * be writing it: the pid in its name is not alive, or that pid now belongs to a process that
 * started after the file was last modified (the pid was reused), or, when the start of the
 * process cannot be told, the file is older than {@link #ABANDONED_AFTER}. A live writer
 * finishes a replace within milliseconds, so none of these can hit a file being written.
 */
public final class TempFiles {

    /** Fallback when a live process's start instant is unknown: no write takes this long. */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private static final Pattern TEMP = Pattern.compile("^\\..+\\.tmp-(\\d{1,10})-[0-9a-f]{1,16}$");
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private TempFiles() {}

    /** A new temp file name beside {@code target}, with this process's pid. */
    public static Path tempFor(Path target) {
        return target.resolveSibling(
                "." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                        + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** The writer pid in a temp file's name, or empty when the name is not this project's temp pattern. */
    public static Optional<Long> writerPid(String fileName) {
        Matcher m = TEMP.matcher(fileName);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /**
     * Removes the stale temp files of {@code dir} (not recursive); answers the removed paths.
     * A folder that does not exist has none. Failures to remove one file are skipped (it is
     * tried again next time).
     */
    public static List<Path> removeStale(Path dir) {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*.tmp-*")) {
            for (Path file : files) {
                if (isStale(file) && deleted(file)) {
                    removed.add(file);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return removed;
        } catch (IOException | RuntimeException e) {
            return removed; // unreadable folder: the write that follows reports the real problem
        }
        return removed;
    }

    /**
     * {@link #removeStale} once per folder and copy of this class: the first write into a folder
     * cleans it, later writes cost nothing.
     */
    public static void removeStaleOnFirstWrite(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        if (SWEPT.add(key)) {
            removeStale(key);
        }
    }

    static boolean isStale(Path file) {
        Optional<Long> pid = writerPid(file.getFileName().toString());
        if (pid.isEmpty() || !Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    .toInstant();
        } catch (IOException gone) {
            return false;
        }
        Optional<ProcessHandle> writer = ProcessHandle.of(pid.get());
        if (writer.isEmpty() || !writer.get().isAlive()) {
            return true;
        }
        Optional<Instant> started = writer.get().info().startInstant();
        if (started.isPresent()) {
            // start instants are rounded by the OS (to clock ticks): allow a second of slack
            return modified.isBefore(started.get().minusSeconds(1));
        }
        return modified.isBefore(Instant.now().minus(ABANDONED_AFTER));
    }

    private static boolean deleted(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }
}
