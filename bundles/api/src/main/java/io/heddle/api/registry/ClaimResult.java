package io.heddle.api.registry;

import java.util.Optional;

/**
 * The answer of {@link DaemonRegistry#claim(ServerRecord)}.
 *
 * @param outcome  {@code CLAIMED} or {@code CONFLICT}
 * @param existing for {@code CONFLICT}, the fresh server that holds the record; for
 *                 {@code CLAIMED}, the record that was replaced (a stale one, or our own), if any
 */
public record ClaimResult(Outcome outcome, Optional<ServerRecord> existing) {

    public enum Outcome {
        CLAIMED,
        CONFLICT
    }

    public ClaimResult {
        existing = existing == null ? Optional.empty() : existing;
        if (outcome == Outcome.CONFLICT && existing.isEmpty()) {
            throw new IllegalArgumentException("a conflict names the existing server");
        }
    }

    public static ClaimResult claimed(Optional<ServerRecord> replaced) {
        return new ClaimResult(Outcome.CLAIMED, replaced);
    }

    public static ClaimResult conflict(ServerRecord existing) {
        return new ClaimResult(Outcome.CONFLICT, Optional.of(existing));
    }

    public boolean isClaimed() {
        return outcome == Outcome.CLAIMED;
    }
}
