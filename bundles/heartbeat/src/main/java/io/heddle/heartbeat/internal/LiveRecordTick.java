package io.heddle.heartbeat.internal;

import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.DaemonRegistry;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RefreshResult;
import io.heddle.api.registry.ServerRecord;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * One live-record heartbeat decision, the fix for the reference design's known defect (its
 * heartbeat re-registered unconditionally and so stole the record back from newer servers):
 *
 * <table>
 * <caption>decision table</caption>
 * <tr><th>the record holds</th><th>this tick</th></tr>
 * <tr><td>our own serverId</td><td>refresh {@code lastSeenAt}</td></tr>
 * <tr><td>another fresh server</td><td>write nothing, stand by</td></tr>
 * <tr><td>another stale server</td><td>claim again</td></tr>
 * <tr><td>nothing</td><td>claim again</td></tr>
 * </table>
 *
 * <p>Each registry call is atomic under the registry lock, and {@code claim} re-checks
 * freshness under that lock, so a server that became fresh in between is never overwritten.
 */
public final class LiveRecordTick {

    /** What one tick did, and who holds the record afterwards. */
    public enum Outcome {
        REFRESHED,
        STANDING_BY,
        RECLAIMED
    }

    public record Result(Outcome outcome, Optional<ServerRecord> currentOwner) {
        public boolean owner() {
            return outcome != Outcome.STANDING_BY;
        }
    }

    private final Clock clock;

    public LiveRecordTick(Clock clock) {
        this.clock = clock;
    }

    public Result run(DaemonRegistry registry, ServerRecord ours) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        RefreshResult refresh = registry.refresh(ours.serverId(), now);
        switch (refresh.outcome()) {
            case REFRESHED:
                return new Result(Outcome.REFRESHED, Optional.of(ours.withLastSeenAt(now)));
            case LOST: {
                ServerRecord other = refresh.currentOwner().orElseThrow();
                LiveServer judged = registry.judge(other);
                if (judged.fresh()) {
                    return new Result(Outcome.STANDING_BY, Optional.of(other));
                }
                return claim(registry, ours.withLastSeenAt(now));
            }
            case ABSENT:
            default:
                return claim(registry, ours.withLastSeenAt(now));
        }
    }

    private static Result claim(DaemonRegistry registry, ServerRecord ours) {
        ClaimResult claim = registry.claim(ours);
        if (claim.isClaimed()) {
            return new Result(Outcome.RECLAIMED, Optional.of(ours));
        }
        return new Result(Outcome.STANDING_BY, claim.existing());
    }
}
