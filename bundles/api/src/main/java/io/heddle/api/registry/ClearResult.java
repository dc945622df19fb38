package io.heddle.api.registry;

import java.util.Optional;

/**
 * The answer of {@link DaemonRegistry#clear(String)}.
 *
 * @param outcome       {@code CLEARED}, {@code NOT_OWNER} (left untouched) or {@code ABSENT}
 * @param currentOwner  for {@code NOT_OWNER}, the record that was left in place
 */
public record ClearResult(Outcome outcome, Optional<ServerRecord> currentOwner) {

    public enum Outcome {
        CLEARED,
        NOT_OWNER,
        ABSENT
    }

    public ClearResult {
        currentOwner = currentOwner == null ? Optional.empty() : currentOwner;
    }

    public static ClearResult cleared() {
        return new ClearResult(Outcome.CLEARED, Optional.empty());
    }

    public static ClearResult notOwner(ServerRecord currentOwner) {
        return new ClearResult(Outcome.NOT_OWNER, Optional.of(currentOwner));
    }

    public static ClearResult absent() {
        return new ClearResult(Outcome.ABSENT, Optional.empty());
    }
}
