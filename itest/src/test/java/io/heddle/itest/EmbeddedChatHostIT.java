package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.chat.EmbeddedChatHost;
import io.heddle.api.heartbeat.LiveRecordHeartbeats;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The embedded-chat bundle hot-deployed into a running container: it binds to the lifecycle
 * service at runtime, follows it when it goes and comes back, and shares the live record with
 * a daemon without the two ever fighting over it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EmbeddedChatHostIT extends InContainerTestBase {

    private static final String CHAT_BUNDLE = "chat-embedded-";
    private static final long INTERVAL_MS = 100;

    private Bundle chatBundle;

    @Configuration
    public Option[] config() {
        // The chat bundle is left out: each test installs it from its file, as a hot deploy does.
        Path home = TestSupport.newHome("chat-host");
        return TestSupport.platformWithout(
                home,
                List.of(CHAT_BUNDLE),
                org.ops4j.pax.exam.CoreOptions.systemProperty("heddle.itest.chatBundle")
                        .value(TestSupport.distributionBundle(CHAT_BUNDLE)
                                .toUri()
                                .toString()),
                TestSupport.configuration(
                        home, "io.heddle.heartbeat", Map.of("intervalMs", INTERVAL_MS, "staleAfterMs", 45_000L)));
    }

    @Before
    public void shortHeartbeat() throws Exception {
        awaitPublished(LiveRecordHeartbeats.class, "intervalMs", INTERVAL_MS);
        assertThat(bundle("io.heddle.chat-embedded"))
                .as("the chat bundle before the test installs it")
                .isEmpty();
    }

    @After
    public void cleanUp() throws Exception {
        org.osgi.service.cm.Configuration[] configs =
                configAdmin.listConfigurations("(service.pid=io.heddle.chat.embedded)");
        if (configs != null) {
            for (org.osgi.service.cm.Configuration c : configs) {
                c.delete();
            }
        }
        if (chatBundle != null) {
            chatBundle.uninstall();
        }
        Optional<Bundle> lifecycleBundle = bundle("io.heddle.lifecycle");
        if (lifecycleBundle.isPresent() && lifecycleBundle.get().getState() != Bundle.ACTIVE) {
            lifecycleBundle.get().start();
        }
    }

    private Optional<Bundle> bundle(String symbolicName) {
        return Arrays.stream(context.getBundles())
                .filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst();
    }

    private Path newWorkspace() throws IOException {
        return newFolder("ws");
    }

    private ServerHandle startDaemon() throws Exception {
        return start(localOptions(ServerMode.DAEMON, newWorkspace()).withOwnership(OwnershipPolicy.CLAIM));
    }

    private void configureChat(Path workspace) throws IOException {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("workspaceRoot", workspace.toString());
        props.put("port", 0);
        configAdmin.getConfiguration("io.heddle.chat.embedded", "?").update(props);
    }

    /** Installs and starts the chat bundle from the distribution's file: a hot deploy. */
    private EmbeddedChatHost hotDeployChat() throws Exception {
        chatBundle = context.installBundle(System.getProperty("heddle.itest.chatBundle"));
        chatBundle.start();
        ServiceTracker<EmbeddedChatHost, EmbeddedChatHost> tracker =
                new ServiceTracker<>(context, EmbeddedChatHost.class, null);
        tracker.open();
        EmbeddedChatHost host = tracker.waitForService(10_000);
        assertThat(host)
                .as("the EmbeddedChatHost service of the hot-deployed bundle")
                .isNotNull();
        return host;
    }

    private Optional<String> liveServerId() {
        return registry.read().server().map(ServerRecord::serverId);
    }

    private static int healthStatus(int port) {
        try {
            return RawHttp.get(port, "/api/health").status;
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    public void hotDeployedChatBundleStartsAnEmbeddedChatServerThroughTheLifecycle() throws Exception {
        Path workspace = newWorkspace();
        configureChat(workspace);

        EmbeddedChatHost host = hotDeployChat();
        ServerHandle chat = host.awaitServer(Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no embedded-chat server: " + host.lastFailure()));

        assertThat(chat.mode()).isEqualTo(ServerMode.EMBEDDED_CHAT);
        assertThat(chat.serverId()).startsWith("embedded-chat-");
        assertThat(chat.workspaceRoot()).isEqualTo(workspace.toRealPath());
        ServerRecord record = registry.read().server().orElseThrow();
        assertThat(record.serverId()).isEqualTo(chat.serverId());
        assertThat(record.mode()).isEqualTo(ServerMode.EMBEDDED_CHAT);
        assertThat(RawHttp.get(chat.port(), "/api/runtime-host").body).contains("\"mode\":\"embedded-chat\"");
        // the chat endpoints came with the hot-deployed bundle
        assertThat(RawHttp.get(chat.port(), "/api/chat/sessions").body).contains("\"sessions\":[]");
    }

    @Test
    public void stoppingTheLifecycleClosesTheChatServerAndStartingItBringsANewOneBack() throws Exception {
        configureChat(newWorkspace());
        EmbeddedChatHost host = hotDeployChat();
        ServerHandle first = host.awaitServer(Duration.ofSeconds(20)).orElseThrow();
        Bundle lifecycleBundle = bundle("io.heddle.lifecycle").orElseThrow();

        lifecycleBundle.stop();

        Poll.until(
                "the chat server is gone",
                Duration.ofSeconds(20),
                () -> host.server().isEmpty());
        assertThat(first.closed()).isTrue();
        Poll.until(
                "the chat server's listener closed", Duration.ofSeconds(20), () -> !TestSupport.listens(first.port()));
        Poll.until(
                "the chat server's record is cleared",
                Duration.ofSeconds(20),
                () -> liveServerId().isEmpty());
        Poll.until(
                "the chat server's token file is gone", Duration.ofSeconds(20), () -> !Files.exists(first.tokenFile()));

        lifecycleBundle.start();

        ServerHandle second = host.awaitServer(Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError(
                        "no embedded-chat server after the lifecycle returned: " + host.lastFailure()));
        assertThat(second.serverId()).isNotEqualTo(first.serverId());
        assertThat(second.mode()).isEqualTo(ServerMode.EMBEDDED_CHAT);
        assertThat(healthStatus(second.port())).isEqualTo(200);
        assertThat(liveServerId()).contains(second.serverId());
    }

    @Test
    public void chatTakesTheRecordFromALiveDaemonAndTheDaemonGetsItBackWhenChatEnds() throws Exception {
        ServerHandle daemon = startDaemon();
        assertThat(liveServerId()).contains(daemon.serverId());
        List<String> seen = new ArrayList<>();

        configureChat(newWorkspace());
        EmbeddedChatHost host = hotDeployChat();
        ServerHandle chat = host.awaitServer(Duration.ofSeconds(20)).orElseThrow();

        // While chat runs, the record names chat on every sample, and the daemon keeps serving.
        Optional<java.time.Instant> firstBeat = registry.read().server().map(ServerRecord::lastSeenAt);
        Poll.until("five chat heartbeats passed", Duration.ofSeconds(10), () -> {
            ServerRecord now = registry.read().server().orElseThrow();
            seen.add(now.serverId());
            return now.lastSeenAt().isAfter(firstBeat.orElseThrow().plusMillis(5 * INTERVAL_MS));
        });
        assertThat(seen).containsOnly(chat.serverId());
        Poll.until("the daemon stands by", Duration.ofSeconds(5), () -> !daemon.owner());
        assertThat(healthStatus(daemon.port())).isEqualTo(200);

        // Chat ends (its bundle is undeployed): its record is cleared, the daemon claims it back.
        chatBundle.uninstall();
        chatBundle = null;

        assertThat(chat.closed()).isTrue();
        assertThat(TestSupport.listens(chat.port())).isFalse();
        List<Optional<String>> after = new ArrayList<>();
        Poll.until("the daemon is the live server again", Duration.ofSeconds(5), () -> {
            Optional<String> now = liveServerId();
            after.add(now);
            return now.equals(Optional.of(daemon.serverId()));
        });
        assertThat(after).allSatisfy(id -> assertThat(id).isIn(Optional.empty(), Optional.of(daemon.serverId())));
        Poll.until("the daemon knows it owns the record", Duration.ofSeconds(5), daemon::owner);
    }

    @Test
    public void disablingTheConfigurationClosesTheServerAndLeavesTheHostRunning() throws Exception {
        configureChat(newWorkspace());
        EmbeddedChatHost host = hotDeployChat();
        ServerHandle chat = host.awaitServer(Duration.ofSeconds(20)).orElseThrow();
        org.osgi.service.cm.Configuration config = configAdmin.getConfiguration("io.heddle.chat.embedded", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        for (String key : java.util.Collections.list(config.getProperties().keys())) {
            props.put(key, config.getProperties().get(key));
        }
        props.put("enabled", false);

        config.update(props);

        Poll.until("the chat server closed", Duration.ofSeconds(20), chat::closed);
        assertThat(host.server()).isEmpty();
        Poll.until(
                "the chat server's record is cleared",
                Duration.ofSeconds(20),
                () -> liveServerId().isEmpty());
        Poll.until(
                "the chat server's listener closed", Duration.ofSeconds(20), () -> !TestSupport.listens(chat.port()));
    }

    @Test
    public void portInUseIsReportedByTheHost() throws Exception {
        try (java.net.ServerSocket taken =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("workspaceRoot", newWorkspace().toString());
            props.put("port", taken.getLocalPort());
            configAdmin.getConfiguration("io.heddle.chat.embedded", "?").update(props);

            EmbeddedChatHost host = hotDeployChat();

            assertThat(host.awaitServer(Duration.ofSeconds(30))).isEmpty();
            assertThat(host.lastFailure())
                    .hasValueSatisfying(e -> assertThat(e.reason())
                            .isEqualTo(io.heddle.api.lifecycle.ServerStartException.Reason.PORT_IN_USE));
        }
    }
}
