package io.heddle.api.chat;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an engine answers: the session so far, ending with the user message to reply to.
 * Heddle's own {@link ChatRole#SYSTEM} notices are left out.
 *
 * @param sessionId     the session's id
 * @param sessionName   the session's display name
 * @param workspaceRoot the workspace the session belongs to (engines that run programs use it as
 *                      the working folder)
 * @param messages      the conversation, oldest first; the last one is the user's new message
 */
public record ChatConversation(String sessionId, String sessionName, Path workspaceRoot, List<ChatMessage> messages) {

    public ChatConversation {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(sessionName, "sessionName");
        Objects.requireNonNull(workspaceRoot, "workspaceRoot");
        messages = List.copyOf(messages);
    }

    /** The message to reply to. */
    public ChatMessage lastMessage() {
        if (messages.isEmpty()) {
            throw new IllegalStateException("empty conversation");
        }
        return messages.get(messages.size() - 1);
    }
}
