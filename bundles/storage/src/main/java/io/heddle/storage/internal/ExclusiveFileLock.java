package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An exclusive lock on a lock file that covers both the threads of this JVM and other
 * processes: a JVM-wide {@link ReentrantLock} per file, then an OS file lock.
 *
 * <p>The holder writes its pid into the lock file so that a waiter that gives up can name
 * it. Re-entry by the thread that holds the lock is allowed and costs nothing.
 *
 * <p>An OS (POSIX record) lock belongs to the process, and closing <em>any</em> descriptor of
 * the file drops it, whichever channel took it. So each lock file gets one channel per copy of
 * this class, opened on first use and never closed while the file is the same file: nothing
 * here ever closes a descriptor of a lock file another thread may hold. (Reopened only when the
 * lock file was deleted or replaced; a channel on the old file can no longer exclude anyone.)
 *
 * <p>Several copies of this class may live in one JVM (each bundle embeds its own). Their
 * thread locks are separate, so the OS lock may then answer {@link OverlappingFileLockException};
 * that is treated as "busy" and retried like any other contention. Since no copy closes its
 * channel, one copy can no longer drop another copy's lock. In practice each lock file has one
 * owning bundle (the registry lock: the registry bundle; a catalog lock: the workspaces bundle).
 */
public final class ExclusiveFileLock implements AutoCloseable {

    private static final ConcurrentHashMap<Path, LockFile> LOCK_FILES = new ConcurrentHashMap<>();
    private static final ThreadLocal<java.util.Map<Path, ExclusiveFileLock>> HELD =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private final Path lockFile;
    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock osLock;
    private int holds = 1;

    private ExclusiveFileLock(Path lockFile, ReentrantLock threadLock, FileChannel channel, FileLock osLock) {
        this.lockFile = lockFile;
        this.threadLock = threadLock;
        this.channel = channel;
        this.osLock = osLock;
    }

    /**
     * Acquires the lock, waiting at most {@code timeout}.
     *
     * @throws LockTimeoutException when the wait ran out; its message names the lock file and
     *                              the pid recorded by the holder, if any
     * @throws IOException          when the lock file cannot be created or opened
     */
    public static ExclusiveFileLock acquire(Path lockFile, Duration timeout) throws IOException {
        Path key = lockFile.toAbsolutePath().normalize();
        ExclusiveFileLock already = HELD.get().get(key);
        if (already != null) {
            already.holds++;
            return already;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        LockFile file = LOCK_FILES.computeIfAbsent(key, LockFile::new);
        ReentrantLock threadLock = file.threadLock;
        try {
            if (!threadLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                // Another thread here holds it. Do not open the lock file to read a pid: closing any
                // descriptor of the file drops every POSIX lock this process holds on it, theirs too.
                String self = Long.toString(ProcessHandle.current().pid());
                throw timeout(key, timeout, "another thread of this process (pid " + self + ")", self);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for the lock " + key, e);
        }
        try {
            FileChannel channel = file.channel();
            FileLock osLock = waitForOsLock(channel, deadline);
            if (osLock == null) {
                String holder = readHolderPid(channel);
                throw timeout(key, timeout, holder == null ? "another process" : "process " + holder, holder);
            }
            recordHolder(channel);
            ExclusiveFileLock held = new ExclusiveFileLock(key, threadLock, channel, osLock);
            HELD.get().put(key, held);
            return held;
        } catch (IOException | RuntimeException e) {
            threadLock.unlock();
            throw e;
        }
    }

    /** One lock file as this copy of the class knows it: its thread lock and its one channel. */
    private static final class LockFile {
        final Path path;
        final ReentrantLock threadLock = new ReentrantLock();
        private FileChannel channel;
        private Object fileKey;

        LockFile(Path path) {
            this.path = path;
        }

        /** The channel of the current lock file; called only by the thread holding {@link #threadLock}. */
        FileChannel channel() throws IOException {
            Object currentKey = currentFileKey();
            if (channel != null && channel.isOpen() && currentKey != null && currentKey.equals(fileKey)) {
                return channel;
            }
            // First use, or the lock file was deleted/replaced: the old descriptor names a file
            // nobody else can lock any more, so closing it drops nothing that still matters.
            FileChannel old = channel;
            PrivateFiles.createPrivateDirectories(path.getParent());
            channel = FileChannel.open(
                    path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            fileKey = currentFileKey();
            if (old != null) {
                closeQuietly(old);
            }
            return channel;
        }

        private Object currentFileKey() {
            try {
                return java.nio.file.Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class)
                        .fileKey();
            } catch (IOException missing) {
                return null;
            }
        }
    }

    private static FileLock waitForOsLock(FileChannel channel, long deadline) throws IOException {
        long pauseMillis = 1;
        while (true) {
            try {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException busyInThisJvm) {
                // another copy of this class in this JVM holds it; wait like for another process
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for a file lock", e);
            }
            pauseMillis = Math.min(pauseMillis * 2, 16);
        }
    }

    private static void recordHolder(FileChannel channel) throws IOException {
        byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
    }

    private static LockTimeoutException timeout(Path lockFile, Duration waited, String who, String holderPid) {
        return new LockTimeoutException(
                "Timed out after " + waited.toMillis() + " ms waiting for the lock " + lockFile + " (held by " + who
                        + "). If that process is hung, stop it and try again.",
                lockFile,
                holderPid);
    }

    /** The pid the holder recorded, read through our own channel (see the thread-lock timeout above). */
    private static String readHolderPid(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
                // read the whole (short) file
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,10}") ? text : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The lock file this lock holds. */
    public Path lockFile() {
        return lockFile;
    }

    @Override
    public void close() throws IOException {
        if (--holds > 0) {
            return;
        }
        HELD.get().remove(lockFile);
        try {
            osLock.release();
        } finally {
            // the channel stays open: closing it could drop a lock another copy takes next
            threadLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a channel on a lock file that no longer exists: nothing left to undo
            }
        }
    }

    /** The lock was not acquired in time. */
    public static final class LockTimeoutException extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient Path lockFile;
        private final String holderPid;

        LockTimeoutException(String message, Path lockFile, String holderPid) {
            super(message);
            this.lockFile = lockFile;
            this.holderPid = holderPid;
        }

        public Path lockFile() {
            return lockFile;
        }

        /** The pid the holder recorded, or null when none was readable. */
        public String holderPid() {
            return holderPid;
        }
    }
}
