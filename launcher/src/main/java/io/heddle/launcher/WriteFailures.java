package io.heddle.launcher;

import io.heddle.storage.internal.IoFailures;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the operating system's refusals to write (a full disk, a read-only or unwritable folder)
 * into the one stderr line of a failed start: which folder could not be written, the OS's own
 * words ("No space left on device", "Permission denied", "Read-only file system") and the fix.
 *
 * <p>Java hides the OS's words in some exceptions: an {@link AccessDeniedException}'s message is
 * only the path. {@link #osReason} puts them back.
 */
final class WriteFailures {

    /** What kind of refusal the OS gave. */
    enum Kind {
        /** No space (or quota) left: free space, or use another disk. */
        DISK_FULL,
        /** Permission denied, read-only file system, not a folder: use a folder you can write to. */
        NOT_WRITABLE,
        /** Anything else: not a write refusal this class explains. */
        OTHER
    }

    /** Where a start writes: the folder a failure is blamed on decides the fix. */
    enum Area {
        STATE,
        CACHE,
        HOME
    }

    /** The folders of one start; {@code workspace} and {@code stateRoot} may be null (before they are known). */
    record Places(Path home, Path workspace, Path stateRoot) {
        Path cache() {
            return home.resolve("cache");
        }
    }

    private WriteFailures() {}

    /** The innermost {@link IOException} in the cause chain, if any. */
    static Optional<IOException> ioCause(Throwable failure) {
        IOException found = null;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof IOException) {
                found = (IOException) t;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The OS's words for an I/O failure, without the path Java puts before them. */
    static String osReason(IOException e) {
        return IoFailures.reason(e).strip();
    }

    static Kind kind(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("no space left")
                || r.contains("disk quota exceeded")
                || r.contains("not enough space")
                || r.contains("disk full")) {
            return Kind.DISK_FULL;
        }
        if (r.contains("permission denied")
                || r.contains("read-only file system")
                || r.contains("operation not permitted")
                || r.contains("not a directory")
                || r.contains("access is denied")) {
            return Kind.NOT_WRITABLE;
        }
        return Kind.OTHER;
    }

    /**
     * The one line for a failure that comes from the OS refusing a write, or empty when the
     * failure is something else (the caller keeps its own message then).
     *
     * @param fallback the folder to blame when the exception names no file
     */
    static Optional<String> describe(Throwable failure, Places places, Area fallback) {
        Optional<IOException> io = ioCause(failure);
        if (io.isEmpty()) {
            return Optional.empty();
        }
        String reason = osReason(io.get());
        Kind kind = kind(reason);
        if (kind == Kind.OTHER) {
            return Optional.empty();
        }
        Optional<Path> file = fileOf(io.get());
        Area area = file.map(f -> areaOf(f, places)).orElse(Optional.empty()).orElse(fallback);
        String cause = file.map(f -> f + ": ").orElse("") + reason;
        return Optional.of(message(area, kind, places, cause));
    }

    static String message(Area area, Kind kind, Places places, String cause) {
        switch (area) {
            case STATE: {
                Path state = places.stateRoot() != null ? places.stateRoot() : places.workspace();
                String what = "Cannot write the workspace state folder " + state + " (" + cause + ").";
                return kind == Kind.DISK_FULL
                        ? what + " Free space on that disk, or pass --workspace with a folder on another disk."
                        : what + " Make it writable for you, or pass --workspace with a folder you can write to.";
            }
            case CACHE: {
                String what = "Cannot write the bundle cache " + places.cache() + " (" + cause + ").";
                return kind == Kind.DISK_FULL
                        ? what + " Free space on that disk, or point HEDDLE_HOME at a folder on another disk."
                        : what + " Make it writable for you, or point HEDDLE_HOME at a folder you own.";
            }
            case HOME:
            default: {
                String what = "Cannot write HEDDLE_HOME " + places.home() + " (" + cause + ").";
                return kind == Kind.DISK_FULL
                        ? what + " Free space on that disk, or point HEDDLE_HOME at a folder on another disk."
                        : what + " Make it writable for you, or point HEDDLE_HOME at a folder you own.";
            }
        }
    }

    private static Optional<Path> fileOf(IOException e) {
        if (e instanceof FileSystemException && ((FileSystemException) e).getFile() != null) {
            try {
                return Optional.of(Path.of(((FileSystemException) e).getFile()));
            } catch (RuntimeException notAPath) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Area> areaOf(Path file, Places places) {
        Path f = file.toAbsolutePath().normalize();
        if (places.stateRoot() != null && f.startsWith(places.stateRoot())) {
            return Optional.of(Area.STATE);
        }
        if (f.startsWith(places.cache())) {
            return Optional.of(Area.CACHE);
        }
        if (f.startsWith(places.home())) {
            return Optional.of(Area.HOME);
        }
        if (places.workspace() != null && f.startsWith(places.workspace())) {
            return Optional.of(Area.STATE);
        }
        return Optional.empty();
    }
}
