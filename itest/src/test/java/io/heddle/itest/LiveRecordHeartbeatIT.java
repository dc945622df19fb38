package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.LiveRecordHeartbeats;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.Json;
import io.heddle.itest.support.Poll;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The reference design's known defect, pinned: an older server's heartbeat never takes the
 * live record back from a newer one, and it claims the record again once it is free.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LiveRecordHeartbeatIT extends InContainerTestBase {

    private static final long INTERVAL_MS = 100;

    @Configuration
    public Option[] config() {
        Path home = TestSupport.newHome("heartbeat");
        return TestSupport.platform(
                home,
                TestSupport.configuration(
                        home, "io.heddle.heartbeat", Map.of("intervalMs", INTERVAL_MS, "staleAfterMs", 45_000L)));
    }

    @Before
    public void shortHeartbeat() throws Exception {
        awaitPublished(LiveRecordHeartbeats.class, "intervalMs", INTERVAL_MS);
    }

    private ServerHandle start(ServerMode mode, OwnershipPolicy policy) throws Exception {
        return start(localOptions(mode, newFolder("ws")).withOwnership(policy));
    }

    @Test
    public void heartbeatNeverOverwritesNewerOwnerAndReclaimsWhenItIsGone() throws Exception {
        List<Boolean> olderOwnership = new CopyOnWriteArrayList<>();
        ServerHandle older = start(ServerMode.DAEMON, OwnershipPolicy.CLAIM);
        ServiceRegistration<EventHandler> events = listenToOwnership(older.serverId(), olderOwnership);
        try {
            ServerHandle newer = start(ServerMode.EMBEDDED_CHAT, OwnershipPolicy.TAKE_OVER);

            // Watch the newer server's own heartbeat move 20 times: 20 intervals in which the
            // older heartbeat ticked too. Every record seen meanwhile must be the newer one's.
            Instant lastSeen = registry.read().server().orElseThrow().lastSeenAt();
            for (int beats = 0; beats < 20; beats++) {
                Instant previous = lastSeen;
                Poll.until("the newer server's heartbeat moves", Duration.ofSeconds(10), () -> {
                    ServerRecord now = registry.read().server().orElseThrow();
                    assertThat(now.serverId()).as("the live record").isEqualTo(newer.serverId());
                    return now.lastSeenAt().isAfter(previous);
                });
                lastSeen = registry.read().server().orElseThrow().lastSeenAt();
            }
            assertThat(older.owner()).isFalse();
            Poll.until(
                    "the older server reported standing by",
                    Duration.ofSeconds(5),
                    () -> olderOwnership.contains(Boolean.FALSE));

            newer.close();

            Poll.until(
                    "the older server claims the free record",
                    Duration.ofSeconds(5),
                    () -> registry.read()
                            .server()
                            .map(r -> r.serverId().equals(older.serverId()))
                            .orElse(false));
            Poll.until("the older server knows it owns the record", Duration.ofSeconds(5), older::owner);
            assertThat(olderOwnership).containsExactly(Boolean.FALSE, Boolean.TRUE);
            assertThat(RawHttp.get(older.port(), "/api/runtime-host").body).contains("\"owner\":true");
        } finally {
            events.unregister();
        }
    }

    @Test
    public void standingByServerReportsOwnerFalseOnRuntimeHost() throws Exception {
        ServerHandle older = start(ServerMode.DAEMON, OwnershipPolicy.CLAIM);
        ServerHandle newer = start(ServerMode.EMBEDDED_CHAT, OwnershipPolicy.TAKE_OVER);

        Poll.until("the older server stands by", Duration.ofSeconds(5), () -> !older.owner());
        assertThat(RawHttp.get(older.port(), "/api/runtime-host").body).contains("\"owner\":false");
        assertThat(RawHttp.get(newer.port(), "/api/runtime-host").body).contains("\"owner\":true");
    }

    @Test
    public void runtimeHostShowsTheLiveRecordAsTheLastHeartbeatSawIt() throws Exception {
        ServerHandle older = start(ServerMode.DAEMON, OwnershipPolicy.CLAIM);
        Map<String, Object> own = liveRecordOf(older);
        assertThat(own.get("serverId")).isEqualTo(older.serverId());
        assertThat(own.get("fresh")).isEqualTo(Boolean.TRUE);
        assertThat(((Number) own.get("ageMs")).longValue()).isNotNegative();
        assertThat(java.time.Instant.parse((String) own.get("lastSeenAt")))
                .isAfterOrEqualTo(older.startedAt())
                .isBeforeOrEqualTo(java.time.Instant.now());

        ServerHandle newer = start(ServerMode.EMBEDDED_CHAT, OwnershipPolicy.TAKE_OVER);
        Poll.until("the older server stands by", Duration.ofSeconds(5), () -> !older.owner());
        Map<String, Object> seenByOlder = liveRecordOf(older);
        assertThat(seenByOlder.get("serverId")).isEqualTo(newer.serverId());
        assertThat(seenByOlder.get("fresh")).isEqualTo(Boolean.TRUE);
        String body = RawHttp.get(older.port(), "/api/runtime-host").body;
        assertThat(body).contains("\"owner\":false,\"liveRecord\":{", "\"pid\":");
    }

    private static Map<String, Object> liveRecordOf(ServerHandle server) throws Exception {
        RawHttp.Response answer = RawHttp.get(server.port(), "/api/runtime-host");
        Map<String, Object> body = Json.map(Json.parse(answer.body));
        return Json.map(body.get("liveRecord"));
    }

    private ServiceRegistration<EventHandler> listenToOwnership(String serverId, List<Boolean> seen) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "io/heddle/server/OWNERSHIP_CHANGED");
        props.put(EventConstants.EVENT_FILTER, "(serverId=" + serverId + ")");
        return context.registerService(
                EventHandler.class, event -> seen.add((Boolean) event.getProperty("owner")), props);
    }
}
