package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one way a Heddle store guards and reads its JSON files: one lock file (threads and
 * processes, {@link ExclusiveFileLock}) held around every read-modify-write, tolerant reads
 * that set an undecodable file aside as {@code <name>.corrupt-<UTC>} ({@link CorruptFiles})
 * instead of dropping it, atomic replaces ({@link AtomicFileWriter}), one lock timeout
 * ({@link #LOCK_TIMEOUT}) and one wording for every failure: each {@link StoreFileException}
 * message names the store, the file and the fix.
 *
 * <p>A store of one file uses {@link LockedJsonFile}; a store of many files under one lock (the
 * heartbeat tasks, the chat sessions) uses {@link #hold()}, {@link #read} and {@link #readLocked}.
 * When a {@link StoreHealth} is given, failures to lock or write mark the lock file's folder
 * unwritable and successful writes mark it writable again.
 */
public final class LockedStore {

    /** How long any store waits for its lock before it gives up with a message naming the holder. */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Path lockFile;
    private final Clock clock;
    private final Duration timeout;
    private final StoreHealth health;

    /**
     * @param name     the store as messages name it, e.g. {@code "the registry"}
     * @param health   told about failed and successful locks and writes; null for nobody
     */
    public LockedStore(String name, Path lockFile, Clock clock, Duration timeout, StoreHealth health) {
        this.name = Objects.requireNonNull(name, "name");
        this.lockFile = lockFile.toAbsolutePath().normalize();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.health = health;
    }

    /** A store with the {@link #LOCK_TIMEOUT} that tells nobody about its health. */
    public LockedStore(String name, Path lockFile, Clock clock) {
        this(name, lockFile, clock, LOCK_TIMEOUT, null);
    }

    public String name() {
        return name;
    }

    public Path lockFile() {
        return lockFile;
    }

    /** The folder whose writability {@link StoreHealth} reports: the lock file's. */
    public Path folder() {
        return lockFile.getParent();
    }

    // --- the lock ---

    /** Held store lock; closing it releases the lock. Re-entrant for the holding thread. */
    public static final class Held implements AutoCloseable {
        private final ExclusiveFileLock lock;

        private Held(ExclusiveFileLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            lock.close();
        }
    }

    /** Work done while holding the lock. */
    public interface Action<T> {
        T run() throws IOException;
    }

    /**
     * Takes the lock, waiting at most the timeout.
     *
     * @throws StoreFileException "Cannot lock {store}: Timed out after … (held by process N) …",
     *                            or "Cannot lock {store} through {lock file}: {OS cause}. Check that
     *                            {folder} is writable."
     */
    public Held hold() throws StoreFileException {
        try {
            return new Held(ExclusiveFileLock.acquire(lockFile, timeout));
        } catch (ExclusiveFileLock.LockTimeoutException e) {
            throw new StoreFileException("Cannot lock " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            String message = "Cannot lock " + name + " through " + lockFile + ": " + IoFailures.reason(e);
            failed(message);
            throw new StoreFileException(message + ". Check that " + folder() + " is writable.", e);
        }
    }

    /** Runs {@code action} holding the lock. */
    public <T> T locked(Action<T> action) throws IOException {
        try (Held held = hold()) {
            return action.run();
        }
    }

    // --- tolerant reads ---

    /** Decodes a file's bytes; throws {@link UnreadableContentException} when they are not what it holds. */
    public interface Decoder<T> {
        T decode(byte[] bytes) throws UnreadableContentException;
    }

    /** The bytes do not decode: the file is set aside. */
    public static final class UnreadableContentException extends Exception {
        private static final long serialVersionUID = 1L;

        /** @param problem what is wrong, in a few words (e.g. "not valid JSON: empty document") */
        public UnreadableContentException(String problem) {
            super(problem);
        }

        public UnreadableContentException(String problem, Throwable cause) {
            super(problem, cause);
        }
    }

    /** A file that did not decode, where it was moved and why. */
    public record SetAside(Path file, Path movedTo, String problem) {
        /** "{store} {file} was unreadable ({problem}); moved it to {movedTo}" */
        public String describe(String store) {
            return store + " " + file + " was unreadable (" + problem + "); moved it to " + movedTo;
        }
    }

    /** What a tolerant read found: the value (empty when the file is missing or was set aside), and the set-aside. */
    public record Read<T>(Optional<T> value, Optional<SetAside> setAside, byte[] bytes) {
        static <T> Read<T> missing() {
            return new Read<>(Optional.empty(), Optional.empty(), null);
        }
    }

    /**
     * Reads and decodes {@code file} without the lock (a writer replaces files atomically, so a
     * reader sees a whole file); only when it does not decode, takes the lock and goes on as
     * {@link #readLocked}.
     */
    public <T> Read<T> read(Path file, Decoder<T> decoder) throws IOException {
        try {
            return decoded(bytes(file), decoder);
        } catch (UnreadableContentException corrupt) {
            return readLocked(file, decoder);
        }
    }

    /**
     * Under the lock: reads and decodes {@code file}; a file that does not decode is set aside
     * and reported in the answer (its value is empty).
     *
     * @throws CannotSetAsideException when it does not decode and cannot be moved aside
     * @throws StoreFileException      when it cannot be read
     */
    public <T> Read<T> readLocked(Path file, Decoder<T> decoder) throws IOException {
        try (Held held = hold()) {
            try {
                return decoded(bytes(file), decoder);
            } catch (UnreadableContentException corrupt) {
                try {
                    Path aside = CorruptFiles.setAside(file, clock);
                    return new Read<>(
                            Optional.empty(), Optional.of(new SetAside(file, aside, corrupt.getMessage())), null);
                } catch (IOException e) {
                    throw new CannotSetAsideException(
                            name + " file " + file + " is unreadable (" + corrupt.getMessage()
                                    + ") and could not be moved aside: " + IoFailures.reason(e)
                                    + ". Move or delete it by hand.",
                            file,
                            e);
                }
            }
        }
    }

    private static <T> Read<T> decoded(Optional<byte[]> bytes, Decoder<T> decoder) throws UnreadableContentException {
        return bytes.isEmpty()
                ? Read.missing()
                : new Read<>(Optional.of(decoder.decode(bytes.get())), Optional.empty(), bytes.get());
    }

    private Optional<byte[]> bytes(Path file) throws StoreFileException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreFileException(
                    "Cannot read " + name + " file " + file + ": " + IoFailures.reason(e)
                            + ". Check that the file is readable by you.",
                    e);
        }
    }

    // --- writes ---

    /** Work that writes a store file. */
    public interface Write {
        void run() throws IOException;
    }

    /**
     * Runs a write of {@code file} (normally under the lock) and tells the store's health: on
     * failure "Cannot {operation} {file}: {OS cause}. Check that {folder} is writable and the
     * disk is not full."
     */
    public void write(String operation, Path file, Write write) throws StoreFileException {
        try {
            write.run();
        } catch (IOException e) {
            String message = "Cannot " + operation + " " + file + ": " + IoFailures.reason(e);
            failed(message);
            throw new StoreFileException(
                    message + ". Check that " + file.toAbsolutePath().getParent()
                            + " is writable and the disk is not full.",
                    e);
        }
        if (health != null) {
            health.succeeded(folder());
        }
    }

    /** Replaces {@code file} atomically with {@code content} (see {@link #write(String, Path, Write)}). */
    public void replace(Path file, byte[] content) throws StoreFileException {
        write("write " + name, file, () -> AtomicFileWriter.write(file, content));
    }

    private void failed(String message) {
        if (health != null) {
            health.failed(folder(), message);
        }
    }

    /** A store could not lock, read, set aside or write one of its files; the message says which and what to do. */
    public static class StoreFileException extends IOException {
        private static final long serialVersionUID = 1L;

        public StoreFileException(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** A file did not decode and could not be moved aside. */
    public static final class CannotSetAsideException extends StoreFileException {
        private static final long serialVersionUID = 1L;
        private final transient Path file;

        CannotSetAsideException(String message, Path file, IOException cause) {
            super(message, cause);
            this.file = file;
        }

        public Path file() {
            return file;
        }

        /** The OS's failure to move it. */
        public IOException reason() {
            return (IOException) getCause();
        }
    }
}
