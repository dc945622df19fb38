package io.heddle.registry.internal;

import static io.heddle.storage.internal.JsonFields.array;
import static io.heddle.storage.internal.JsonFields.format;
import static io.heddle.storage.internal.JsonFields.instant;
import static io.heddle.storage.internal.JsonFields.integer;
import static io.heddle.storage.internal.JsonFields.object;
import static io.heddle.storage.internal.JsonFields.string;
import static io.heddle.storage.internal.JsonFields.strings;
import static io.heddle.storage.internal.JsonFields.text;

import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.registry.WorkspaceEntry;
import io.heddle.api.workspace.WorkspaceDescriptor;
import io.heddle.records.internal.RecordJson;
import io.heddle.storage.internal.JsonTree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads and writes {@code daemon-registry.json} in the reference format (REFERENCE.md).
 *
 * <p>Decoding is tolerant, entry by entry: a server record missing a required field means
 * no server; a bad workspace entry is dropped alone (with a warning); legacy files that kept
 * an {@code owner} inside workspace entries yield the newest owner as the server. Only a file
 * that is not a JSON object at all is reported as corrupt, for the caller to set aside.
 *
 * <p>Encoding adds one field the reference does not know, {@code server.processStartedAt};
 * readers of the reference format ignore unknown fields.
 */
public final class RegistryCodec {

    /** The bytes are not a registry at all (not JSON, truncated, empty, not an object). */
    public static final class CorruptRegistryException extends Exception {
        private static final long serialVersionUID = 1L;

        public CorruptRegistryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private RegistryCodec() {}

    public static RegistrySnapshot decode(byte[] bytes, Consumer<String> warnings) throws CorruptRegistryException {
        Object tree;
        try {
            tree = JsonTree.parse(bytes);
        } catch (JsonTree.MalformedJsonException e) {
            throw new CorruptRegistryException("not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Object> root = object(tree);
        if (root == null) {
            throw new CorruptRegistryException("the top level is not a JSON object", null);
        }
        Long version = integer(root, "version");
        Instant updatedAt = instant(root, "updatedAt");

        List<WorkspaceEntry> workspaces = new ArrayList<>();
        ServerRecord newestLegacyOwner = null;
        List<Object> entries = array(root.get("workspaces"));
        if (entries == null && root.containsKey("workspaces") && root.get("workspaces") != null) {
            warnings.accept("ignored \"workspaces\": it is not a list");
        }
        if (entries != null) {
            for (int i = 0; i < entries.size(); i++) {
                Map<String, Object> entry = object(entries.get(i));
                WorkspaceEntry decoded = entry == null ? null : decodeEntry(entry);
                if (decoded == null) {
                    warnings.accept(
                            "dropped workspace entry #" + i + ": it lacks a valid id, workspaceRoot or stateRoot");
                    continue;
                }
                workspaces.add(decoded);
                Map<String, Object> owner = object(entry.get("owner"));
                if (owner != null) {
                    ServerRecord legacy = decodeServer(owner, "ownerId");
                    if (legacy != null
                            && (newestLegacyOwner == null
                                    || legacy.lastSeenAt().isAfter(newestLegacyOwner.lastSeenAt()))) {
                        newestLegacyOwner = legacy;
                    }
                }
            }
        }

        ServerRecord server = null;
        Map<String, Object> serverObject = object(root.get("server"));
        if (serverObject != null) {
            server = decodeServer(serverObject, "serverId");
            if (server == null) {
                warnings.accept("ignored the live-server record: it lacks a required field");
            }
        } else if (root.get("server") == null) {
            server = newestLegacyOwner;
        }
        return new RegistrySnapshot(
                version == null ? RegistrySnapshot.FORMAT_VERSION : version.intValue(),
                updatedAt,
                Optional.ofNullable(server),
                workspaces);
    }

    private static ServerRecord decodeServer(Map<String, Object> m, String idField) {
        String serverId = text(m, idField);
        Optional<ServerMode> mode = ServerMode.fromWireName(string(m, "mode"));
        String host = text(m, "host");
        Long port = integer(m, "port");
        Long pid = integer(m, "pid");
        Instant startedAt = instant(m, "startedAt");
        boolean hasLastSeen = m.get("lastSeenAt") != null;
        if (serverId == null
                || mode.isEmpty()
                || host == null
                || port == null
                || pid == null
                || startedAt == null
                || !hasLastSeen
                || port < 0
                || port > 65535
                || pid < 0) {
            return null;
        }
        // The reference counts an unparsable lastSeenAt as infinitely old.
        Instant lastSeenAt = instant(m, "lastSeenAt");
        if (lastSeenAt == null) {
            lastSeenAt = Instant.EPOCH;
        }
        return new ServerRecord(
                serverId,
                mode.get(),
                host,
                port.intValue(),
                pid,
                instant(m, "processStartedAt"),
                startedAt,
                lastSeenAt);
    }

    private static WorkspaceEntry decodeEntry(Map<String, Object> entry) {
        Map<String, Object> ws = object(entry.get("workspace"));
        if (ws == null) {
            return null;
        }
        String id = text(ws, "id");
        String workspaceRoot = text(ws, "workspaceRoot");
        String stateRoot = text(ws, "stateRoot");
        if (id == null || workspaceRoot == null || stateRoot == null) {
            return null;
        }
        String name = text(ws, "name");
        if (name == null) {
            Path fileName = Path.of(workspaceRoot).getFileName();
            name = fileName == null ? workspaceRoot : fileName.toString();
        }
        Instant entryUpdated = instant(entry, "updatedAt");
        Instant createdAt = instant(ws, "createdAt");
        Instant updatedAt = instant(ws, "updatedAt");
        Instant fallback = entryUpdated != null ? entryUpdated : Instant.EPOCH;
        List<String> repoRoots = strings(ws, "repoRoots");
        WorkspaceDescriptor descriptor = new WorkspaceDescriptor(
                id,
                name,
                workspaceRoot,
                repoRoots == null ? List.of(workspaceRoot) : repoRoots,
                stateRoot,
                createdAt != null ? createdAt : fallback,
                updatedAt != null ? updatedAt : fallback);
        return new WorkspaceEntry(descriptor, entryUpdated != null ? entryUpdated : descriptor.updatedAt());
    }

    public static byte[] encode(RegistrySnapshot snapshot) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", RegistrySnapshot.FORMAT_VERSION);
        root.put("updatedAt", format(snapshot.updatedAt()));
        snapshot.server().ifPresent(s -> root.put("server", encodeServer(s)));
        List<Object> workspaces = new ArrayList<>();
        for (WorkspaceEntry entry : snapshot.workspaces()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("workspace", RecordJson.workspace(entry.workspace()));
            e.put("updatedAt", format(entry.updatedAt()));
            workspaces.add(e);
        }
        root.put("workspaces", workspaces);
        return JsonTree.write(root);
    }

    static Map<String, Object> encodeServer(ServerRecord s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serverId", s.serverId());
        m.put("mode", s.mode().wireName());
        m.put("host", s.host());
        m.put("port", s.port());
        m.put("pid", s.pid());
        m.put("startedAt", format(s.startedAt()));
        m.put("lastSeenAt", format(s.lastSeenAt()));
        if (s.processStartedAt() != null) {
            m.put("processStartedAt", format(s.processStartedAt()));
        }
        return m;
    }
}
