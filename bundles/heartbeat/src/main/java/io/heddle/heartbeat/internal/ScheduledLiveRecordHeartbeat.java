package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatTarget;
import io.heddle.api.heartbeat.LiveRecordHeartbeat;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ticks {@link LiveRecordTick} for one server at a fixed interval, re-registers its
 * workspaces, then lets the target sync its scheduler host. Ownership changes are reported
 * once per change.
 */
final class ScheduledLiveRecordHeartbeat implements LiveRecordHeartbeat {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledLiveRecordHeartbeat.class);

    private final HeartbeatTarget target;
    private final LiveRecordTick tick;
    private final BiConsumer<HeartbeatTarget, LiveRecordTick.Result> ownershipEvents;
    private final Object lock = new Object();
    private volatile boolean owner;
    private volatile boolean closed;
    private volatile Optional<io.heddle.api.registry.ServerRecord> lastRecord = Optional.empty();
    private ScheduledFuture<?> schedule;
    private String lastFailure;

    ScheduledLiveRecordHeartbeat(
            HeartbeatTarget target,
            LiveRecordTick tick,
            boolean initiallyOwner,
            BiConsumer<HeartbeatTarget, LiveRecordTick.Result> ownershipEvents) {
        this.target = Objects.requireNonNull(target, "target");
        this.tick = tick;
        this.owner = initiallyOwner;
        this.ownershipEvents = ownershipEvents;
    }

    void scheduleOn(ScheduledExecutorService executor, Duration interval) {
        long millis = Math.max(1, interval.toMillis());
        synchronized (lock) {
            if (!closed) {
                schedule = executor.scheduleWithFixedDelay(this::tickQuietly, millis, millis, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public boolean owner() {
        return owner;
    }

    @Override
    public Optional<io.heddle.api.registry.ServerRecord> lastRecord() {
        return lastRecord;
    }

    @Override
    public void tick() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            LiveRecordTick.Result result = tick.run(target.registry(), target.record());
            lastRecord = result.currentOwner();
            boolean nowOwner = result.owner();
            if (nowOwner != owner) {
                owner = nowOwner;
                if (nowOwner) {
                    LOG.info(
                            "Server {} holds the live record again",
                            target.record().serverId());
                } else {
                    LOG.info(
                            "Server {} stands by: server {} holds the live record",
                            target.record().serverId(),
                            result.currentOwner().map(r -> r.serverId()).orElse("(none)"));
                }
                ownershipEvents.accept(target, result);
                notifyTarget(nowOwner, result.currentOwner());
            }
            target.registry().registerWorkspaces(target.workspaces());
        }
        target.afterTick();
    }

    private void notifyTarget(boolean nowOwner, Optional<io.heddle.api.registry.ServerRecord> current) {
        try {
            target.ownershipChanged(nowOwner, current);
        } catch (RuntimeException e) {
            LOG.warn("Ownership listener of {} failed", target.record().serverId(), e);
        }
    }

    private void tickQuietly() {
        try {
            tick();
            lastFailure = null;
        } catch (RuntimeException e) {
            // One warning per distinct failure, not one per tick.
            String message = String.valueOf(e.getMessage());
            if (!message.equals(lastFailure)) {
                LOG.warn(
                        "Live-record heartbeat of {} failed: {}",
                        target.record().serverId(),
                        message);
                lastFailure = message;
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }
}
