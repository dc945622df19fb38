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
 */
record ChatSession(String id, String name, Instant createdAt, Instant updatedAt, Optional<SessionLease> lease,
        List<ChatMessage> messages, int droppedMessages) {

    ChatSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        lease = lease == null ? Optional.empty() : lease;
        messages = List.copyOf(messages);
    }

    ChatSession withName(String newName, Instant now) {
        return new ChatSession(id, newName, createdAt, now, lease, messages, droppedMessages);
    }

    ChatSession withLease(SessionLease newLease) {
        return new ChatSession(id, name, createdAt, updatedAt, Optional.ofNullable(newLease), messages,
                droppedMessages);
    }

    ChatSession withMessage(ChatMessage message) {
        List<ChatMessage> more = new java.util.ArrayList<>(messages);
        more.add(message);
        Instant updated = message.at().isAfter(updatedAt) ? message.at() : updatedAt;
        return new ChatSession(id, name, createdAt, updated, lease, more, droppedMessages);
    }
}
