package io.heddle.storage.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The operating system's cause of a file failure, as a person reads it: "No space left on
 * device", "Permission denied". {@link FileSystemException#getMessage()} names only the file
 * (often a temp file) for some exception types, and no cause at all for others.
 */
public final class IoFailures {

    private IoFailures() {}

    /** The OS's reason for {@code failure} (or its first cause that has one), never null. */
    public static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String r = ownReason(t);
            if (r != null) {
                return r;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure == null ? "unknown cause" : failure.toString();
    }

    private static String ownReason(Throwable t) {
        if (t instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) t;
            if (f.getReason() != null && !f.getReason().isBlank()) {
                return f.getReason();
            }
            if (t instanceof AccessDeniedException) {
                return "Permission denied";
            }
            if (t instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (t instanceof NotDirectoryException) {
                return "Not a directory";
            }
            if (t instanceof FileAlreadyExistsException) {
                return "File exists";
            }
            if (t instanceof DirectoryNotEmptyException) {
                return "Directory not empty";
            }
            return null;
        }
        if (t instanceof java.nio.file.ReadOnlyFileSystemException) {
            return "Read-only file system";
        }
        if (t instanceof java.io.IOException
                && t.getMessage() != null
                && !t.getMessage().isBlank()
                && !(t instanceof JsonTree.MalformedJsonException)) {
            // e.g. FileChannel.write on a full disk: "No space left on device"
            String m = t.getMessage();
            int nl = m.indexOf('\n');
            return nl < 0 ? m : m.substring(0, nl);
        }
        return null;
    }
}
