package io.heddle.chat.internal;

import static io.heddle.storage.internal.JsonFields.format;

import io.heddle.api.chat.ChatMessage;
import io.heddle.api.chat.ChatRole;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The session file format (version 1). Reading is tolerant per field: a missing name or time
 * gets a default, unknown fields are ignored, a message entry that cannot be read is dropped
 * alone and counted. Only a file that is not a JSON object, or whose {@code messages} is not a
 * list, is corrupt.
 */
final class ChatSessionCodec {

    static final int VERSION = 1;

    private ChatSessionCodec() {}

    /** The file could not be read as a session at all. */
    static final class CorruptSessionFileException extends Exception {
        private static final long serialVersionUID = 1L;

        CorruptSessionFileException(String message) {
            super(message);
        }
    }

    static byte[] encode(ChatSession session) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("id", session.id());
        root.put("name", session.name());
        root.put("createdAt", format(session.createdAt()));
        root.put("updatedAt", format(session.updatedAt()));
        session.engine().ifPresent(engine -> root.put("engine", engine));
        session.lease().ifPresent(lease -> {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("holder", lease.holder());
            l.put("renewedAt", format(lease.renewedAt()));
            lease.process().ifPresent(p -> {
                Map<String, Object> process = new LinkedHashMap<>();
                process.put("pid", p.pid());
                process.put("startedAt", format(p.startedAt()));
                l.put("process", process);
            });
            root.put("lease", l);
        });
        List<Object> messages = new ArrayList<>();
        for (ChatMessage m : session.messages()) {
            messages.add(encode(m));
        }
        root.put("messages", messages);
        return JsonTree.write(root);
    }

    static Map<String, Object> encode(ChatMessage m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("role", m.role().wireName());
        json.put("text", m.text());
        json.put("at", format(m.at()));
        return json;
    }

    /**
     * @param id       the id the file name says (authoritative over the id inside)
     * @param fallback the time to use when the file names none (its modification time)
     */
    static ChatSession decode(String id, byte[] bytes, Instant fallback) throws CorruptSessionFileException {
        Object parsed;
        try {
            parsed = JsonTree.parse(bytes);
        } catch (JsonTree.MalformedJsonException e) {
            throw new CorruptSessionFileException("not valid JSON: " + e.getMessage());
        }
        Map<String, Object> root = JsonFields.object(parsed);
        if (root == null) {
            throw new CorruptSessionFileException("not a JSON object");
        }
        Object rawMessages = root.get("messages");
        List<Object> entries = rawMessages == null ? List.of() : JsonFields.array(rawMessages);
        if (entries == null) {
            throw new CorruptSessionFileException("'messages' is not a list");
        }
        Instant updatedAt = JsonFields.instant(root, "updatedAt");
        Instant createdAt = JsonFields.instant(root, "createdAt");
        createdAt = createdAt != null ? createdAt : updatedAt != null ? updatedAt : fallback;
        List<ChatMessage> messages = new ArrayList<>(entries.size());
        int dropped = 0;
        Instant previous = createdAt;
        for (Object entry : entries) {
            Map<String, Object> m = JsonFields.object(entry);
            Optional<ChatRole> role =
                    m == null ? Optional.empty() : ChatRole.fromWireName(JsonFields.string(m, "role"));
            String text = m == null ? null : JsonFields.string(m, "text");
            if (role.isEmpty() || text == null) {
                dropped++;
                continue;
            }
            Instant at = JsonFields.instant(m, "at");
            at = at != null ? at : previous;
            messages.add(new ChatMessage(role.get(), text, at));
            previous = at;
        }
        if (updatedAt == null) {
            updatedAt = messages.isEmpty()
                    ? createdAt
                    : messages.get(messages.size() - 1).at();
        }
        String name = JsonFields.text(root, "name");
        return new ChatSession(
                id,
                name == null ? id : name,
                createdAt,
                updatedAt,
                decodeLease(root),
                messages,
                dropped,
                Optional.ofNullable(JsonFields.text(root, "engine")));
    }

    private static Optional<SessionLease> decodeLease(Map<String, Object> root) {
        Map<String, Object> lease = JsonFields.object(root.get("lease"));
        if (lease == null) {
            return Optional.empty();
        }
        String holder = JsonFields.text(lease, "holder");
        Instant renewedAt = JsonFields.instant(lease, "renewedAt");
        if (holder == null || renewedAt == null) {
            return Optional.empty();
        }
        return Optional.of(new SessionLease(holder, renewedAt, decodeProcess(lease)));
    }

    /** The holder's process, when the lease names a readable one; anything else is no process. */
    private static Optional<ClientProcess> decodeProcess(Map<String, Object> lease) {
        Map<String, Object> process = JsonFields.object(lease.get("process"));
        if (process == null) {
            return Optional.empty();
        }
        Object pid = process.get("pid");
        Instant startedAt = JsonFields.instant(process, "startedAt");
        if (!(pid instanceof Number) || startedAt == null || ((Number) pid).longValue() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ClientProcess(((Number) pid).longValue(), startedAt));
    }
}
