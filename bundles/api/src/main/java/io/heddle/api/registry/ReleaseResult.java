package io.heddle.api.registry;

import java.util.Optional;

/**
 * The answer of {@link DaemonRegistry#release(String, Optional)}.
 *
 * @param outcome      {@code HANDED_BACK} (the previous owner's record is live again),
 *                     {@code CLEARED} (the record is empty now), {@code NOT_OWNER} (another
 *                     server holds the record; it was left untouched)
 * @param currentOwner the record after the release: the restored one for {@code HANDED_BACK},
 *                     the one left in place for {@code NOT_OWNER}, empty for {@code CLEARED}
 */
public record ReleaseResult(Outcome outcome, Optional<ServerRecord> currentOwner) {

    public enum Outcome {
        HANDED_BACK,
        CLEARED,
        NOT_OWNER
    }

    public ReleaseResult {
        currentOwner = currentOwner == null ? Optional.empty() : currentOwner;
    }

    public static ReleaseResult handedBack(ServerRecord restored) {
        return new ReleaseResult(Outcome.HANDED_BACK, Optional.of(restored));
    }

    public static ReleaseResult cleared() {
        return new ReleaseResult(Outcome.CLEARED, Optional.empty());
    }

    public static ReleaseResult notOwner(ServerRecord currentOwner) {
        return new ReleaseResult(Outcome.NOT_OWNER, Optional.of(currentOwner));
    }
}
