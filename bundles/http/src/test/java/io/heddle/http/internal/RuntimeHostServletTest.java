package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.storage.internal.JsonTree;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

public class RuntimeHostServletTest {

    /** A handle that answers only liveRecord(); the servlet's tail reads nothing else. */
    private static ServerHandle handleSeeing(Optional<LiveServer> live) {
        return (ServerHandle) Proxy.newProxyInstance(
                ServerHandle.class.getClassLoader(), new Class<?>[] {ServerHandle.class}, (proxy, method, args) -> {
                    if (method.getName().equals("liveRecord")) {
                        return live;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static LiveServer seen(String serverId, boolean fresh, long ageMs) {
        Instant at = Instant.parse("2026-06-02T00:10:04.512Z");
        ServerRecord record =
                new ServerRecord(serverId, ServerMode.DAEMON, "127.0.0.1", 8765, 4242, null, at.minusSeconds(60), at);
        return new LiveServer(record, fresh, Duration.ofMillis(ageMs), fresh ? null : "old");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> liveRecordOf(byte[] tail) throws Exception {
        // the tail completes an object that already has members
        String json = "{\"owner\":true" + new String(tail, StandardCharsets.UTF_8);
        Map<String, Object> body = (Map<String, Object>) JsonTree.parse(json.getBytes(StandardCharsets.UTF_8));
        return (Map<String, Object>) body.get("liveRecord");
    }

    @Test
    public void liveRecordTailCarriesTheRecordItsAgeAndFreshness() throws Exception {
        Map<String, Object> live = liveRecordOf(RuntimeHostServlet.liveRecord(
                handleSeeing(Optional.of(seen("daemon-4242-1780000000000", true, 1843)))));

        assertThat(live)
                .containsEntry("serverId", "daemon-4242-1780000000000")
                .containsEntry("lastSeenAt", "2026-06-02T00:10:04.512Z")
                .containsEntry("ageMs", 1843L)
                .containsEntry("fresh", Boolean.TRUE);
    }

    @Test
    public void aServerIdThatNeedsEscapingStaysValidJson() throws Exception {
        Map<String, Object> live = liveRecordOf(
                RuntimeHostServlet.liveRecord(handleSeeing(Optional.of(seen("odd \"id\" \\ é", false, 90_000)))));

        assertThat(live)
                .containsEntry("serverId", "odd \"id\" \\ é")
                .containsEntry("fresh", Boolean.FALSE)
                .containsEntry("ageMs", 90_000L);
    }

    @Test
    public void withoutARecordTheAnswerJustCloses() throws Exception {
        byte[] tail = RuntimeHostServlet.liveRecord(handleSeeing(Optional.empty()));

        assertThat(new String(tail, StandardCharsets.UTF_8)).isEqualTo("}");
        assertThat(liveRecordOf(tail)).isNull();
    }
}
