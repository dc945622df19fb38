package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatRun;
import io.heddle.api.heartbeat.HeartbeatTask;
import io.heddle.storage.internal.AtomicFileWriter;
import io.heddle.storage.internal.IoFailures;
import io.heddle.storage.internal.LockedStore;
import io.heddle.storage.internal.PrivateFiles;
import io.heddle.storage.internal.StoreHealth;
import io.heddle.storage.internal.TempFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The heartbeat files of one workspace state root:
 * <pre>
 * heartbeat/tasks/&lt;taskId&gt;.json           one task
 * heartbeat/runs/&lt;taskId&gt;/&lt;runId&gt;.json    its run history (bounded)
 * heartbeat/leases/&lt;taskId&gt;.json          who runs it now, until when
 * heartbeat/revision                     changes with every task write, so pollers re-read only then
 * heartbeat/heartbeat.lock               held around every read-modify-write (threads and processes)
 * </pre>
 * The folder is a {@link LockedStore}. Every write replaces its file atomically. Tasks and runs are also forced to disk; leases and
 * the revision are not (after a crash a lost lease only means the run counts as abandoned, and
 * a lost revision only means one extra read). Reads are tolerant: a file that does not decode
 * is set aside as {@code <name>.corrupt-<UTC>} and reported, and the others are read as usual.
 */
final class FileTaskStore {

    /** Told about every corrupt file, once, when it is set aside (or cannot be). */
    interface CorruptFileListener {
        void setAside(Path file, Path movedTo);

        void cannotSetAside(Path file, IOException cause);
    }

    /** What identifies one version of a task file without reading it: a replaced file gets a new key. */
    record FileStamp(FileTime modified, long size, Object fileKey) {}

    /** Work done while holding the store lock. */
    interface LockedAction<T> {
        T run() throws IOException;
    }

    private static final String JSON = ".json";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path stateRoot;
    private final Path root;
    private final Path tasks;
    private final Path runs;
    private final Path leases;
    private final Path revisionFile;
    private final Path lockFile;
    private final CorruptFileListener corrupt;
    private final StoreHealth health;
    private final LockedStore store;

    FileTaskStore(Path stateRoot, Clock clock, CorruptFileListener corrupt) {
        this(stateRoot, clock, corrupt, null);
    }

    /** @param health told about every failed and every successful write (null: nobody) */
    FileTaskStore(Path stateRoot, Clock clock, CorruptFileListener corrupt, StoreHealth health) {
        this.stateRoot = stateRoot.toAbsolutePath().normalize();
        this.root = this.stateRoot.resolve("heartbeat");
        this.tasks = root.resolve("tasks");
        this.runs = root.resolve("runs");
        this.leases = root.resolve("leases");
        this.revisionFile = root.resolve("revision");
        this.lockFile = root.resolve("heartbeat.lock");
        this.corrupt = corrupt;
        this.health = health;
        this.store = new LockedStore("the heartbeat store", lockFile, clock, LockedStore.LOCK_TIMEOUT, health);
    }

    /** The folder of this store's files, the one whose writability health reports. */
    Path folder() {
        return root;
    }

    /** Work that writes; its failure is a storage failure. */
    interface WriteAction {
        void run() throws IOException;
    }

    /**
     * Runs a write: on success the store counts as writable; on failure it counts as unwritable
     * and an {@link UncheckedIOException} names the operation, the file and the OS's cause.
     */
    private void write(String operation, Path file, WriteAction action) {
        try {
            store.write(operation, file, action::run);
        } catch (LockedStore.StoreFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Removes the temp files that killed writers left in this store's folders (see
     * {@link TempFiles} for what counts as stale); answers how many.
     */
    int removeStaleTempFiles() {
        int removed = 0;
        for (Path dir : List.of(root, tasks, leases)) {
            removed += TempFiles.removeStale(dir).size();
        }
        for (Path dir : list(runs)) {
            if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                removed += TempFiles.removeStale(dir).size();
            }
        }
        removed += TempFiles.removeStale(runs).size();
        return removed;
    }

    Path stateRoot() {
        return stateRoot;
    }

    Path taskFile(String taskId) {
        return tasks.resolve(taskId + JSON);
    }

    Path runFile(String taskId, String runId) {
        return runs.resolve(taskId).resolve(runId + JSON);
    }

    Path leaseFile(String taskId) {
        return leases.resolve(taskId + JSON);
    }

    /** Runs {@code action} holding the store lock (re-entrant for the calling thread). */
    <T> T locked(LockedAction<T> action) {
        try {
            return store.locked(action::run);
        } catch (UncheckedIOException e) {
            throw e;
        } catch (LockedStore.StoreFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Heartbeat store " + root + ": " + IoFailures.reason(e), e);
        }
    }

    /** Changes whenever a task is written or deleted; empty when no task was ever written. */
    String revision() {
        try {
            return Files.readString(revisionFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            // unreadable for a moment (e.g. being replaced on a platform without atomic rename): re-read later
            return "?" + System.nanoTime();
        }
    }

    // --- tasks ---

    /** The stamp of every task file, by task id: enough to tell which files changed since the last read. */
    Map<String, FileStamp> taskStamps() {
        Map<String, FileStamp> out = new HashMap<>();
        for (Path file : jsonFiles(tasks)) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                out.put(idOf(file), new FileStamp(a.lastModifiedTime(), a.size(), a.fileKey()));
            } catch (NoSuchFileException gone) {
                // deleted between listing and stat
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file + ": " + IoFailures.reason(e), e);
            }
        }
        return out;
    }

    /** How many task files there are (readable or not; nothing is read or set aside). */
    int countTaskFiles() {
        return jsonFiles(tasks).size();
    }

    /** All readable tasks, by id. Corrupt files are set aside and reported. */
    List<HeartbeatTask> readTasks() {
        List<HeartbeatTask> out = new ArrayList<>();
        for (Path file : jsonFiles(tasks)) {
            readTask(idOf(file)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(HeartbeatTask::id));
        return out;
    }

    Optional<HeartbeatTask> readTask(String taskId) {
        if (!TaskIds.valid(taskId)) {
            return Optional.empty();
        }
        return read(taskFile(taskId), (file, bytes) -> TaskCodec.decodeTask(taskId, bytes));
    }

    void writeTask(HeartbeatTask task) {
        locked(() -> {
            write("write the task", taskFile(task.id()), () -> {
                AtomicFileWriter.write(taskFile(task.id()), TaskCodec.encodeTask(task));
                bumpRevision();
            });
            return null;
        });
    }

    /**
     * Replaces the task file atomically but does not wait for the disk: the scheduler's timer
     * thread claims with this, and the run's worker makes the claim durable with
     * {@link #forceTask} before the runner starts.
     */
    void writeTaskWithoutSync(HeartbeatTask task) {
        locked(() -> {
            write("write the task", taskFile(task.id()), () -> {
                replaceWithoutSync(taskFile(task.id()), TaskCodec.encodeTask(task));
                bumpRevision();
            });
            return null;
        });
    }

    /** Forces the task file as it is now (and its folder entry) to disk. */
    void forceTask(String taskId) {
        Path file = taskFile(taskId);
        try (java.nio.channels.FileChannel channel =
                java.nio.channels.FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (NoSuchFileException gone) {
            return;
        } catch (IOException e) {
            String message = "Cannot force the task " + file + " to disk: " + IoFailures.reason(e);
            if (health != null) {
                health.failed(root, message);
            }
            throw new UncheckedIOException(message, e);
        }
        try (java.nio.channels.FileChannel dir = java.nio.channels.FileChannel.open(tasks, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException notOnThisPlatform) {
            // the rename is atomic anyway; only its durability across power loss is weaker
        }
    }

    /** Deletes the task, its lease and its run history; false when there was no such task. */
    boolean deleteTask(String taskId) {
        if (!TaskIds.valid(taskId)) {
            return false;
        }
        return locked(() -> {
            boolean existed = Files.deleteIfExists(taskFile(taskId));
            Files.deleteIfExists(leaseFile(taskId));
            Path dir = runs.resolve(taskId);
            for (Path run : list(dir)) {
                Files.deleteIfExists(run);
            }
            Files.deleteIfExists(dir);
            bumpRevision();
            return existed;
        });
    }

    private void bumpRevision() throws IOException {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        replaceWithoutSync(revisionFile, s.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Atomic replace without forcing to disk, for files whose loss in a crash is harmless
     * (lease, revision): readers still never see a torn file.
     */
    private static void replaceWithoutSync(Path target, byte[] content) throws IOException {
        Path dir = target.getParent();
        PrivateFiles.createPrivateDirectories(dir);
        TempFiles.removeStaleOnFirstWrite(dir);
        Path temp = TempFiles.tempFor(target);
        try {
            Files.createFile(temp, PrivateFiles.privateFileAttributes());
            Files.write(temp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // --- leases ---

    Optional<TaskLease> readLease(String taskId) {
        return read(leaseFile(taskId), (file, bytes) -> TaskCodec.decodeLease(taskId, bytes));
    }

    void writeLease(TaskLease lease) {
        locked(() -> {
            write(
                    "write the lease",
                    leaseFile(lease.taskId()),
                    () -> replaceWithoutSync(leaseFile(lease.taskId()), TaskCodec.encodeLease(lease)));
            return null;
        });
    }

    /** Removes the lease if {@code owner} holds it; true when it did. */
    boolean releaseLease(String taskId, String owner) {
        return locked(() -> {
            Optional<TaskLease> lease = readLease(taskId);
            if (lease.isPresent() && lease.get().owner().equals(owner)) {
                Files.deleteIfExists(leaseFile(taskId));
                return true;
            }
            return false;
        });
    }

    // --- runs ---

    /** Writes a run record; it needs no lock, as only the run's owner (or a recovery under the lock) writes it. */
    void writeRun(HeartbeatRun run) {
        write(
                "write the run",
                runFile(run.taskId(), run.id()),
                () -> AtomicFileWriter.write(runFile(run.taskId(), run.id()), TaskCodec.encodeRun(run)));
    }

    /**
     * Writes the record of a run that just started, without waiting for the disk: if it is lost
     * in a crash, the recovery of the (durable) running task writes it again as interrupted.
     */
    void writeStartedRun(HeartbeatRun run) {
        write(
                "write the run",
                runFile(run.taskId(), run.id()),
                () -> replaceWithoutSync(runFile(run.taskId(), run.id()), TaskCodec.encodeRun(run)));
    }

    /** Removes one run record (a run of a task deleted while it ran). */
    void deleteRun(String taskId, String runId) {
        try {
            Files.deleteIfExists(runFile(taskId, runId));
            Path dir = runs.resolve(taskId);
            if (list(dir).isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + runFile(taskId, runId) + ": " + IoFailures.reason(e), e);
        }
    }

    /** The readable runs of a task, newest first. */
    List<HeartbeatRun> readRuns(String taskId) {
        if (!TaskIds.valid(taskId)) {
            return List.of();
        }
        List<Path> files = jsonFiles(runs.resolve(taskId));
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        List<HeartbeatRun> out = new ArrayList<>(files.size());
        for (Path file : files) {
            readRun(taskId, idOf(file)).ifPresent(out::add);
        }
        return out;
    }

    Optional<HeartbeatRun> readRun(String taskId, String runId) {
        if (!TaskIds.valid(taskId) || !TaskIds.valid(runId)) {
            return Optional.empty();
        }
        return read(runFile(taskId, runId), (file, bytes) -> TaskCodec.decodeRun(runId, taskId, bytes));
    }

    /**
     * Keeps the newest {@code keep} runs of a task and deletes older ones; a run still marked
     * running is never deleted. Answers how many were deleted.
     */
    int pruneRuns(String taskId, int keep) {
        return locked(() -> {
            List<Path> files = jsonFiles(runs.resolve(taskId));
            files.sort(
                    Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
            int deleted = 0;
            for (int i = Math.max(0, keep); i < files.size(); i++) {
                Path file = files.get(i);
                Optional<HeartbeatRun> run = readRun(taskId, idOf(file));
                if (run.isPresent() && run.get().status() == io.heddle.api.heartbeat.HeartbeatRunStatus.RUNNING) {
                    continue;
                }
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
            return deleted;
        });
    }

    // --- files ---

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - JSON.length());
    }

    /** The {@code <id>.json} files of a folder (temp files, set-aside files and odd names skipped). */
    private static List<Path> jsonFiles(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            String name = p.getFileName().toString();
            if (name.endsWith(JSON) && TaskIds.valid(name.substring(0, name.length() - JSON.length()))) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(out::add);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + IoFailures.reason(e), e);
        }
        return out;
    }

    /**
     * Reads and decodes one file: empty when it is missing; when it does not decode, it is set
     * aside under the lock (re-checked there, in case a writer replaced it meanwhile).
     */
    private <T> Optional<T> read(Path file, BiFunction<Path, byte[], Optional<T>> decode) {
        try {
            LockedStore.Read<T> read = store.read(
                    file,
                    bytes -> decode.apply(file, bytes)
                            .orElseThrow(() -> new LockedStore.UnreadableContentException("it does not decode")));
            read.setAside().ifPresent(aside -> corrupt.setAside(aside.file(), aside.movedTo()));
            return read.value();
        } catch (LockedStore.CannotSetAsideException e) {
            corrupt.cannotSetAside(file, e.reason());
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
