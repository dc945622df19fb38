package io.heddle.api.chat;

import java.time.Instant;
import java.util.Objects;

/**
 * One message of a chat session.
 *
 * @param role who said it
 * @param text what was said (may be empty only for an assistant reply that produced nothing)
 * @param at   when it was stored
 */
public record ChatMessage(ChatRole role, String text, Instant at) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
    }
}
