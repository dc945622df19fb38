package io.heddle.api.registry;

import java.util.Optional;

/**
 * The answer of {@link DaemonRegistry#refresh(String, java.time.Instant)}.
 *
 * @param outcome       {@code REFRESHED}, {@code LOST} (another server holds the record) or
 *                      {@code ABSENT} (no record at all)
 * @param currentOwner  for {@code LOST}, the record that holds the place now
 */
public record RefreshResult(Outcome outcome, Optional<ServerRecord> currentOwner) {

    public enum Outcome {
        REFRESHED,
        LOST,
        ABSENT
    }

    public RefreshResult {
        currentOwner = currentOwner == null ? Optional.empty() : currentOwner;
        if (outcome == Outcome.LOST && currentOwner.isEmpty()) {
            throw new IllegalArgumentException("a lost refresh names the current owner");
        }
    }

    public static RefreshResult refreshed() {
        return new RefreshResult(Outcome.REFRESHED, Optional.empty());
    }

    public static RefreshResult lost(ServerRecord currentOwner) {
        return new RefreshResult(Outcome.LOST, Optional.of(currentOwner));
    }

    public static RefreshResult absent() {
        return new RefreshResult(Outcome.ABSENT, Optional.empty());
    }
}
