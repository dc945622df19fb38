package io.heddle.chat.internal;

import io.heddle.api.chat.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One chat session as stored in {@code <stateRoot>/chat/sessions/<id>.json}.
 *
 * @param droppedMessages how many message entries of the file could not be read (they are kept
 *                        in a copy of the file before it is next rewritten)
 * @param engine          the engine the session asked for by name; empty for the highest-ranked one
 */
record ChatSession(
        String id,
        String name,
        Instant createdAt,
        Instant updatedAt,
        Optional<SessionLease> lease,
        List<ChatMessage> messages,
        int droppedMessages,
        Optional<String> engine) {

    ChatSession(
            String id,
            String name,
            Instant createdAt,
            Instant updatedAt,
            Optional<SessionLease> lease,
            List<ChatMessage> messages,
            int droppedMessages) {
        this(id, name, createdAt, updatedAt, lease, messages, droppedMessages, Optional.empty());
    }

    ChatSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        lease = lease == null ? Optional.empty() : lease;
        engine = engine == null ? Optional.empty() : engine;
        messages = List.copyOf(messages);
    }

    ChatSession withName(String newName, Instant now) {
        return new ChatSession(id, newName, createdAt, now, lease, messages, droppedMessages, engine);
    }

    ChatSession withLease(SessionLease newLease) {
        return new ChatSession(
                id, name, createdAt, updatedAt, Optional.ofNullable(newLease), messages, droppedMessages, engine);
    }

    ChatSession withEngine(Optional<String> newEngine, Instant now) {
        return new ChatSession(id, name, createdAt, now, lease, messages, droppedMessages, newEngine);
    }

    ChatSession withMessage(ChatMessage message) {
        List<ChatMessage> more = new java.util.ArrayList<>(messages);
        more.add(message);
        Instant updated = message.at().isAfter(updatedAt) ? message.at() : updatedAt;
        return new ChatSession(id, name, createdAt, updated, lease, more, droppedMessages, engine);
    }
}
