package io.heddle.api.registry;

import java.util.Locale;
import java.util.Optional;

/** How a control-plane server was started. The wire name is what the registry file holds. */
public enum ServerMode {
    DAEMON("daemon"),
    EMBEDDED_CHAT("embedded-chat");

    private final String wireName;

    ServerMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the registry file and the HTTP API, e.g. {@code embedded-chat}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name ({@code daemon}, {@code embedded-chat}); empty when unknown. */
    public static Optional<ServerMode> fromWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ServerMode mode : values()) {
            if (mode.wireName.equals(lower)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
