package io.heddle.heartbeat.internal;

import io.heddle.api.heartbeat.HeartbeatTarget;
import io.heddle.api.heartbeat.LiveRecordEvents;
import io.heddle.api.heartbeat.LiveRecordHeartbeat;
import io.heddle.api.heartbeat.LiveRecordHeartbeats;
import io.heddle.api.heartbeat.LiveRecordSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Offers {@link LiveRecordHeartbeats}: one ticking heartbeat per server handle, on one shared
 * daemon thread. Ownership changes are posted on Event Admin as
 * {@link LiveRecordEvents#OWNERSHIP_CHANGED}.
 */
@Component(service = LiveRecordHeartbeats.class, configurationPid = LiveRecordSettings.PID)
public final class LiveRecordHeartbeatsComponent implements LiveRecordHeartbeats {

    /**
     * The io.heddle.heartbeat configuration as this component reads it. Its metatype (the one
     * definition of the PID) is declared by the registry bundle's DaemonRegistryComponent.
     */
    @interface Configuration {
        /** Live-record heartbeat interval in milliseconds. */
        long intervalMs() default LiveRecordSettings.DEFAULT_INTERVAL_MS;

        /** A record whose last heartbeat is older than this is stale. */
        long staleAfterMs() default LiveRecordSettings.DEFAULT_STALE_AFTER_MS;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    private final ScheduledExecutorService executor;
    private volatile Duration interval;

    @Activate
    public LiveRecordHeartbeatsComponent(Configuration config) {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, "heddle-live-record-heartbeat");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = Executors.unconfigurableScheduledExecutorService(pool);
        this.interval = intervalOf(config);
    }

    @Modified
    void modified(Configuration config) {
        // Running heartbeats keep their interval; new handles get the new one.
        this.interval = intervalOf(config);
    }

    private static Duration intervalOf(Configuration config) {
        return Duration.ofMillis(
                config.intervalMs() > 0 ? config.intervalMs() : LiveRecordSettings.DEFAULT_INTERVAL_MS);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public LiveRecordHeartbeat start(HeartbeatTarget target, boolean initiallyOwner) {
        ScheduledLiveRecordHeartbeat heartbeat = new ScheduledLiveRecordHeartbeat(
                target, new LiveRecordTick(Clock.systemUTC()), initiallyOwner, this::postOwnershipEvent);
        heartbeat.scheduleOn(executor, interval);
        return heartbeat;
    }

    private void postOwnershipEvent(HeartbeatTarget target, LiveRecordTick.Result result) {
        EventAdmin events = eventAdmin;
        if (events == null) {
            return;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(LiveRecordEvents.SERVER_ID, target.record().serverId());
        props.put(LiveRecordEvents.OWNER, result.owner());
        props.put(LiveRecordEvents.OUTCOME, result.outcome().name());
        result.currentOwner().ifPresent(r -> props.put(LiveRecordEvents.CURRENT_OWNER, r.serverId()));
        events.postEvent(new Event(LiveRecordEvents.OWNERSHIP_CHANGED, props));
    }
}
