package io.heddle.workspaces.internal;

import static io.heddle.storage.internal.JsonFields.array;
import static io.heddle.storage.internal.JsonFields.instant;
import static io.heddle.storage.internal.JsonFields.object;
import static io.heddle.storage.internal.JsonFields.strings;
import static io.heddle.storage.internal.JsonFields.text;

import io.heddle.api.workspace.CatalogSnapshot;
import io.heddle.api.workspace.WorkspaceCatalog;
import io.heddle.api.workspace.WorkspaceCatalogException;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.records.internal.RecordJson;
import io.heddle.storage.internal.JsonTree;
import io.heddle.storage.internal.LockedJsonFile;
import io.heddle.storage.internal.LockedJsonFile.Change;
import io.heddle.storage.internal.LockedStore;
import io.heddle.storage.internal.StoreHealth;
import io.heddle.storage.internal.TempFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The file-backed {@link WorkspaceCatalog}, a {@link LockedJsonFile} like the registry: a lock
 * around every read-modify-write, atomic replace, tolerant reads (a bad entry is dropped alone,
 * an unparsable file is set aside as {@code workspaces.catalog.json.corrupt-<UTC>}).
 */
public final class FileWorkspaceCatalog implements WorkspaceCatalog {

    private static final String LOCK_FILE = "workspaces.catalog.lock";

    private final Clock clock;
    private final Consumer<String> warnings;
    private final StoreHealth health;

    public FileWorkspaceCatalog(Clock clock, Consumer<String> warnings) {
        this(clock, warnings, new StoreHealth("workspace-catalog", clock, Duration.ofSeconds(2), NO_LISTENER));
    }

    /** @param health told about every failed and successful catalog write */
    public FileWorkspaceCatalog(Clock clock, Consumer<String> warnings, StoreHealth health) {
        this.clock = clock;
        this.warnings = warnings;
        this.health = health;
    }

    private static final StoreHealth.Listener NO_LISTENER = new StoreHealth.Listener() {
        @Override
        public void unwritable(StoreHealth.Problem problem) {}

        @Override
        public void writableAgain(StoreHealth.Problem resolved) {}
    };

    /** A stable id for a workspace root: the same folder always gets the same id. */
    public static String workspaceId(Path workspaceRoot) {
        String normalized = workspaceRoot.toAbsolutePath().normalize().toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder("ws-");
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public CatalogSnapshot ensure(Path workspaceRoot, Path stateRoot) {
        Path root = workspaceRoot.toAbsolutePath().normalize();
        Path state = stateRoot.toAbsolutePath().normalize();
        TempFiles.removeStale(state);
        return mutate(state, current -> {
            Optional<WorkspaceDescriptor> known = findByRoot(current, root);
            String id = known.map(WorkspaceDescriptor::id).orElseGet(() -> workspaceId(root));
            List<WorkspaceDescriptor> workspaces = new ArrayList<>(current.workspaces());
            boolean changed = false;
            if (known.isEmpty()) {
                workspaces.add(descriptor(id, defaultName(root), root, state));
                changed = true;
            }
            String active = current.activeWorkspaceId();
            if (active == null || current.find(active).isEmpty()) {
                active = id;
                changed = true;
            }
            CatalogSnapshot next = new CatalogSnapshot(active, workspaces);
            return new Change<>(changed ? next : null, next);
        });
    }

    @Override
    public CatalogSnapshot read(Path stateRoot) {
        try {
            return catalogFile(stateRoot.toAbsolutePath().normalize()).read();
        } catch (IOException e) {
            throw new WorkspaceCatalogException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<WorkspaceDescriptor> resolve(Path stateRoot, String workspaceId) {
        return read(stateRoot).find(workspaceId);
    }

    @Override
    public CatalogSnapshot setActive(Path stateRoot, String workspaceId) {
        return mutate(stateRoot.toAbsolutePath().normalize(), current -> {
            current.find(workspaceId).orElseThrow(() -> unknown(workspaceId));
            CatalogSnapshot next = new CatalogSnapshot(workspaceId, current.workspaces());
            return new Change<>(next, next);
        });
    }

    @Override
    public WorkspaceDescriptor rename(Path stateRoot, String workspaceId, String name) {
        return update(
                stateRoot,
                workspaceId,
                old -> new WorkspaceDescriptor(
                        old.id(),
                        name,
                        old.workspaceRoot(),
                        old.repoRoots(),
                        old.stateRoot(),
                        old.createdAt(),
                        now(),
                        old.workspaceKey()));
    }

    @Override
    public WorkspaceDescriptor setWorkspaceKey(Path stateRoot, String workspaceId, String workspaceKey) {
        return update(
                stateRoot,
                workspaceId,
                old -> new WorkspaceDescriptor(
                        old.id(),
                        old.name(),
                        old.workspaceRoot(),
                        old.repoRoots(),
                        old.stateRoot(),
                        old.createdAt(),
                        now(),
                        workspaceKey));
    }

    /** Replaces one known workspace by {@code change} of it, in place in the list; answers the new one. */
    private WorkspaceDescriptor update(
            Path stateRoot, String workspaceId, java.util.function.UnaryOperator<WorkspaceDescriptor> change) {
        return mutate(stateRoot.toAbsolutePath().normalize(), current -> {
            WorkspaceDescriptor old = current.find(workspaceId).orElseThrow(() -> unknown(workspaceId));
            WorkspaceDescriptor updated = change.apply(old);
            List<WorkspaceDescriptor> workspaces = new ArrayList<>();
            for (WorkspaceDescriptor w : current.workspaces()) {
                workspaces.add(w.id().equals(workspaceId) ? updated : w);
            }
            return new Change<>(new CatalogSnapshot(current.activeWorkspaceId(), workspaces), updated);
        });
    }

    @Override
    public WorkspaceDescriptor create(Path stateRoot, Path workspaceRoot, String name, String stateDirName) {
        Path root = workspaceRoot.toAbsolutePath().normalize();
        return mutate(stateRoot.toAbsolutePath().normalize(), current -> {
            Optional<WorkspaceDescriptor> existing = findByRoot(current, root);
            if (existing.isPresent()) {
                return new Change<>(null, existing.get());
            }
            String id = workspaceId(root);
            WorkspaceDescriptor created = descriptor(
                    id,
                    name == null || name.isBlank() ? defaultName(root) : name,
                    root,
                    root.resolve(stateDirName).normalize());
            List<WorkspaceDescriptor> workspaces = new ArrayList<>(current.workspaces());
            workspaces.add(created);
            String active = current.activeWorkspaceId() == null ? id : current.activeWorkspaceId();
            return new Change<>(new CatalogSnapshot(active, workspaces), created);
        });
    }

    /**
     * The workspace of a folder, whatever the form of its id ({@code workspace-…} from the
     * reference, {@code ws-…} from here): one folder, one workspace. Roots compare normalised.
     */
    static Optional<WorkspaceDescriptor> findByRoot(CatalogSnapshot catalog, Path root) {
        Path wanted = root.toAbsolutePath().normalize();
        for (WorkspaceDescriptor w : catalog.workspaces()) {
            try {
                if (Path.of(w.workspaceRoot()).toAbsolutePath().normalize().equals(wanted)) {
                    return Optional.of(w);
                }
            } catch (java.nio.file.InvalidPathException notAPath) {
                // an entry for a path this platform cannot name is nobody's folder here
            }
        }
        return Optional.empty();
    }

    private WorkspaceDescriptor descriptor(String id, String name, Path root, Path state) {
        Instant now = now();
        return new WorkspaceDescriptor(id, name, root.toString(), List.of(root.toString()), state.toString(), now, now);
    }

    private static String defaultName(Path root) {
        Path fileName = root.getFileName();
        return fileName == null ? root.toString() : fileName.toString();
    }

    private static NoSuchElementException unknown(String id) {
        return new NoSuchElementException("No workspace with id " + id + " in the catalog");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private <T> T mutate(Path state, Function<CatalogSnapshot, Change<CatalogSnapshot, T>> change) {
        try {
            return catalogFile(state).update(change);
        } catch (IOException e) {
            throw new WorkspaceCatalogException(e.getMessage(), e);
        }
    }

    /** The catalog file of a state root, under {@code workspaces.catalog.lock} there. */
    private LockedJsonFile<CatalogSnapshot> catalogFile(Path state) {
        LockedStore store = new LockedStore(
                "the workspace catalog", state.resolve(LOCK_FILE), clock, LockedStore.LOCK_TIMEOUT, health);
        LockedJsonFile.Codec<CatalogSnapshot> codec = new LockedJsonFile.Codec<>() {
            @Override
            public CatalogSnapshot decode(byte[] bytes) throws LockedStore.UnreadableContentException {
                return FileWorkspaceCatalog.this
                        .decode(bytes)
                        .orElseThrow(() -> new LockedStore.UnreadableContentException("not a JSON object"));
            }

            @Override
            public byte[] encode(CatalogSnapshot snapshot, byte[] previous) {
                return FileWorkspaceCatalog.encode(snapshot, raw(previous));
            }
        };
        return new LockedJsonFile<>(
                store,
                state.resolve(CATALOG_FILE),
                codec,
                new CatalogSnapshot(null, List.of()),
                aside -> warnings.accept(aside.describe("the workspace catalog") + " and started a new catalog"));
    }

    /** The catalog file as a JSON object (empty when missing or unreadable): its unknown members are kept on write. */
    private static Map<String, Object> raw(byte[] previous) {
        if (previous == null) {
            return Map.of();
        }
        try {
            Map<String, Object> raw = object(JsonTree.parse(previous));
            return raw == null ? Map.of() : raw;
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Empty when the bytes are not a catalog at all; bad entries are dropped with a warning. */
    private Optional<CatalogSnapshot> decode(byte[] bytes) {
        Map<String, Object> root;
        try {
            root = object(JsonTree.parse(bytes));
        } catch (JsonTree.MalformedJsonException e) {
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        List<WorkspaceDescriptor> workspaces = new ArrayList<>();
        List<Object> entries = array(root.get("workspaces"));
        if (entries != null) {
            for (int i = 0; i < entries.size(); i++) {
                WorkspaceDescriptor d = decodeDescriptor(object(entries.get(i)));
                if (d == null) {
                    warnings.accept("dropped workspace catalog entry #" + i
                            + ": it lacks a valid id, workspaceRoot or stateRoot");
                } else {
                    workspaces.add(d);
                }
            }
        }
        return Optional.of(new CatalogSnapshot(text(root, "activeWorkspaceId"), workspaces));
    }

    private static WorkspaceDescriptor decodeDescriptor(Map<String, Object> m) {
        if (m == null) {
            return null;
        }
        String id = text(m, "id");
        String workspaceRoot = text(m, "workspaceRoot");
        String stateRoot = text(m, "stateRoot");
        if (id == null || workspaceRoot == null || stateRoot == null) {
            return null;
        }
        String name = text(m, "name");
        Instant createdAt = instant(m, "createdAt");
        Instant updatedAt = instant(m, "updatedAt");
        List<String> repoRoots = strings(m, "repoRoots");
        return new WorkspaceDescriptor(
                id,
                name == null ? defaultName(Path.of(workspaceRoot)) : name,
                workspaceRoot,
                repoRoots == null ? List.of(workspaceRoot) : repoRoots,
                stateRoot,
                createdAt == null ? Instant.EPOCH : createdAt,
                updatedAt == null ? Instant.EPOCH : updatedAt,
                text(m, "workspaceKey"));
    }

    /**
     * The catalog's bytes. Members of the file this version does not know, at the top and in
     * each workspace entry (matched by id), are written back as they were read.
     */
    private static byte[] encode(CatalogSnapshot snapshot, Map<String, Object> raw) {
        Map<String, Map<String, Object>> rawEntries = new LinkedHashMap<>();
        List<Object> rawList = array(raw.get("workspaces"));
        if (rawList != null) {
            for (Object o : rawList) {
                Map<String, Object> entry = object(o);
                if (entry != null && text(entry, "id") != null) {
                    rawEntries.putIfAbsent(text(entry, "id"), entry);
                }
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("activeWorkspaceId", snapshot.activeWorkspaceId());
        List<Object> list = new ArrayList<>();
        for (WorkspaceDescriptor w : snapshot.workspaces()) {
            Map<String, Object> entry = RecordJson.workspace(w);
            Map<String, Object> extra = new LinkedHashMap<>(rawEntries.getOrDefault(w.id(), Map.of()));
            extra.remove("workspaceKey"); // known now: a cleared key must not come back from the old entry
            RecordJson.mergeExtra(entry, extra);
            list.add(entry);
        }
        root.put("workspaces", list);
        RecordJson.mergeExtra(root, raw);
        return JsonTree.write(root);
    }
}
