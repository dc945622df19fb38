package io.heddle.api.chat;

import java.util.Locale;
import java.util.Optional;

/** Who said a message. The wire name is what session files and the HTTP API hold. */
public enum ChatRole {
    /** The person at the keyboard. */
    USER("user"),
    /** A chat engine's reply. */
    ASSISTANT("assistant"),
    /** Heddle itself, e.g. "no engine is configured" or "the engine timed out". Never sent to an engine. */
    SYSTEM("system");

    private final String wireName;

    ChatRole(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a wire name; empty when unknown. */
    public static Optional<ChatRole> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ChatRole role : values()) {
            if (role.wireName.equals(lower)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
