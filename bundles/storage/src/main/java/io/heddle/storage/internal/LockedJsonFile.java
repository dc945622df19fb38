package io.heddle.storage.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One JSON file of a {@link LockedStore} holding one value {@code V} (the registry, a workspace
 * catalog): tolerant reads without the lock, and {@link #update} that reads, decides and replaces
 * the file atomically, all under the store's lock. A file that does not decode is set aside,
 * reported to the set-aside listener, and read as the empty value.
 */
public final class LockedJsonFile<V> {

    /** Turns the file's bytes into a value and back. */
    public interface Codec<V> extends LockedStore.Decoder<V> {
        /**
         * @param previous the bytes of the file as last read under the lock (null when there was
         *                 none), so that members this version does not know can be written back
         */
        byte[] encode(V value, byte[] previous) throws IOException;
    }

    /** What one locked change decided: the value to write (null: write nothing) and the caller's answer. */
    public record Change<V, T>(V next, T answer) {
        public static <V, T> Change<V, T> keep(T answer) {
            return new Change<>(null, answer);
        }

        public static <V, T> Change<V, T> write(V next, T answer) {
            return new Change<>(next, answer);
        }
    }

    private final LockedStore store;
    private final Path file;
    private final Codec<V> codec;
    private final V empty;
    private final Consumer<LockedStore.SetAside> setAside;

    /**
     * @param empty    the value of a missing or set-aside file
     * @param setAside told about every file set aside (to warn about it)
     */
    public LockedJsonFile(
            LockedStore store, Path file, Codec<V> codec, V empty, Consumer<LockedStore.SetAside> setAside) {
        this.store = Objects.requireNonNull(store, "store");
        this.file = file.toAbsolutePath().normalize();
        this.codec = Objects.requireNonNull(codec, "codec");
        this.empty = Objects.requireNonNull(empty, "empty");
        this.setAside = Objects.requireNonNull(setAside, "setAside");
    }

    public Path file() {
        return file;
    }

    /** The value; the lock is taken only when the file does not decode (to set it aside). */
    public V read() throws IOException {
        return valueOf(store.read(file, codec));
    }

    /**
     * Under the lock: reads the value, applies {@code change}, and replaces the file atomically
     * when the change says so. Runtime exceptions of {@code change} pass through unchanged, and
     * then nothing is written.
     */
    public <T> T update(Function<V, Change<V, T>> change) throws IOException {
        try (LockedStore.Held held = store.hold()) {
            LockedStore.Read<V> current = store.readLocked(file, codec);
            Change<V, T> decided = change.apply(valueOf(current));
            if (decided.next() != null) {
                byte[] content = codec.encode(decided.next(), current.bytes());
                store.replace(file, content);
            }
            return decided.answer();
        }
    }

    private V valueOf(LockedStore.Read<V> read) {
        read.setAside().ifPresent(setAside);
        return read.value().orElse(empty);
    }
}
