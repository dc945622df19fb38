package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * Replaces a file so that readers see either the old or the new content, never a mix,
 * and a crash at any point leaves one of the two on disk: write a temp file in the same
 * folder, force it to disk, atomically move it over the target, then force the folder.
 * New files are 0600 on POSIX. The temp file is named as {@link TempFiles} says, and the
 * first write into a folder removes the stale temp files a killed writer left there.
 */
public final class AtomicFileWriter {

    private AtomicFileWriter() {}

    /**
     * @throws IOException when the file cannot be replaced; a {@link FileSystemException} names
     *                     {@code target} (never the temp file) and the OS's reason
     */
    public static void write(Path target, byte[] content) throws IOException {
        try {
            replace(target, content);
        } catch (IOException e) {
            throw failure(target, e);
        }
    }

    /** The failure to replace {@code target}: names the target and the OS's reason. */
    public static FileSystemException failure(Path target, IOException cause) {
        if (cause instanceof FileSystemException && target.toString().equals(((FileSystemException) cause).getFile())) {
            return (FileSystemException) cause;
        }
        FileSystemException e = new FileSystemException(target.toString(), null, IoFailures.reason(cause));
        e.initCause(cause);
        return e;
    }

    private static void replace(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        PrivateFiles.createPrivateDirectories(dir);
        TempFiles.removeStaleOnFirstWrite(dir);
        Path temp = TempFiles.tempFor(target.toAbsolutePath());
        try {
            try (FileChannel channel = FileChannel.open(
                    temp,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.privateFileAttributes())) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("The file system of " + dir + " cannot replace files atomically", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        forceDirectory(dir);
    }

    /** Makes the rename itself durable; not every platform can open a folder, which is fine. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // the rename is still atomic; only its durability across power loss is weaker
        }
    }
}
