package io.heddle.storage.internal;

import io.heddle.api.health.HealthProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Which store folders cannot be written right now, kept in memory so that a health check reads
 * it without touching the disk.
 *
 * <p>A folder becomes unwritable when a write into it fails ({@link #failed}), and writable again
 * on the next successful write ({@link #succeeded}) or when the probe succeeds: while any folder
 * is unwritable, a daemon thread writes, forces and deletes a small temp file in each such
 * folder every {@code probeInterval}. No thread runs while every folder is writable.
 */
public final class StoreHealth implements AutoCloseable {

    /** One unwritable folder. */
    public record Problem(String store, Path folder, String message, Instant since) {}

    /** Told when a folder becomes unwritable, and when it becomes writable again. */
    public interface Listener {
        void unwritable(Problem problem);

        void writableAgain(Problem resolved);
    }

    private static final byte[] PROBE = new byte[512];

    private final String store;
    private final Clock clock;
    private final Duration probeInterval;
    private final Listener listener;
    private final Map<Path, Problem> problems = new ConcurrentHashMap<>();
    private ScheduledExecutorService prober;
    private ScheduledFuture<?> probing;
    private boolean closed;

    public StoreHealth(String store, Clock clock, Duration probeInterval, Listener listener) {
        this.store = store;
        this.clock = clock;
        this.probeInterval = probeInterval;
        this.listener = listener;
    }

    /**
     * Records that a write into {@code folder} failed. The message should name the operation,
     * the path and {@link IoFailures#reason the OS's cause}; the first failure's time is kept.
     *
     * @return true when the folder was writable until now
     */
    public boolean failed(Path folder, String message) {
        Path key = folder.toAbsolutePath().normalize();
        Problem[] added = new Problem[1];
        problems.compute(key, (k, old) -> {
            if (old != null) {
                return new Problem(store, k, message, old.since());
            }
            added[0] = new Problem(store, k, message, clock.instant());
            return added[0];
        });
        if (added[0] != null) {
            listener.unwritable(added[0]);
            startProbing();
            return true;
        }
        return false;
    }

    /** Records that a write into {@code folder} succeeded: it is writable again. */
    public void succeeded(Path folder) {
        if (problems.isEmpty()) {
            return; // the common case costs one read
        }
        Problem resolved = problems.remove(folder.toAbsolutePath().normalize());
        if (resolved != null) {
            listener.writableAgain(resolved);
        }
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The unwritable folders as the health problems of this store (its name is their source), oldest first. */
    public List<HealthProblem> healthProblems() {
        if (problems.isEmpty()) {
            return List.of();
        }
        List<HealthProblem> out = new ArrayList<>();
        for (Problem p : problems()) {
            out.add(new HealthProblem(p.store(), p.folder().toString(), p.message(), p.since()));
        }
        return out;
    }

    /** The unwritable folders, oldest problem first. */
    public List<Problem> problems() {
        List<Problem> out = new ArrayList<>(problems.values());
        out.sort(Comparator.comparing(Problem::since)
                .thenComparing(p -> p.folder().toString()));
        return out;
    }

    /** Probes every unwritable folder once, now; answers how many became writable. */
    public int probeNow() {
        int recovered = 0;
        for (Path folder : new ArrayList<>(problems.keySet())) {
            if (writable(folder)) {
                Problem resolved = problems.remove(folder);
                if (resolved != null) {
                    recovered++;
                    listener.writableAgain(resolved);
                }
            }
        }
        return recovered;
    }

    /** Whether a small file can be written, forced to disk and deleted in {@code folder}. */
    public static boolean writable(Path folder) {
        Path probe = TempFiles.tempFor(folder.resolve("probe"));
        try {
            PrivateFiles.createPrivateDirectories(folder);
            try (FileChannel channel = FileChannel.open(
                    probe,
                    EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.privateFileAttributes())) {
                ByteBuffer buffer = ByteBuffer.wrap(PROBE);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // left for the stale temp file sweep
            }
        }
    }

    private synchronized void startProbing() {
        if (closed || (probing != null && !probing.isDone())) {
            return;
        }
        if (prober == null) {
            prober = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "heddle-" + store + "-probe");
                t.setDaemon(true);
                return t;
            });
        }
        long ms = Math.max(1, probeInterval.toMillis());
        probing = prober.scheduleWithFixedDelay(this::probeTick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void probeTick() {
        try {
            probeNow();
        } catch (RuntimeException e) {
            // a listener failed; the next tick tries again
        }
        synchronized (this) {
            if (problems.isEmpty() && probing != null) {
                probing.cancel(false);
                probing = null;
            }
        }
        if (!problems.isEmpty()) {
            startProbing(); // a failure raced with the cancel above
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (prober != null) {
            prober.shutdownNow();
            prober = null;
        }
    }
}
