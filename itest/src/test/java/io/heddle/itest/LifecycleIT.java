package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerOptions;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.Poll;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

/** The lifecycle's start and close, in a real Felix with the distribution's bundles. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LifecycleIT extends InContainerTestBase {

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("lifecycle"));
    }

    private ServerHandle start(ServerMode mode, int port) throws Exception {
        return start(options(mode, port));
    }

    private ServerOptions options(ServerMode mode, int port) throws Exception {
        return ServerOptions.of(mode, "127.0.0.1", port, newFolder("ws"));
    }

    @Test
    public void daemonHandleRecordsItselfAndCloseRemovesTheRecord() throws Exception {
        ServerHandle handle = start(ServerMode.DAEMON, 0);

        ServerRecord server = registry.read().server().orElseThrow();
        assertThat(handle.port()).isPositive();
        assertThat(server.serverId()).isEqualTo(handle.serverId());
        assertThat(server.mode()).isEqualTo(ServerMode.DAEMON);
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThat(server.port()).isEqualTo(handle.port());
        assertThat(server.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(RawHttp.get(handle.port(), "/api/health").body)
                .contains(handle.serverId())
                .contains("\"taskStore\":{\"kind\":\"file\"", "\"available\":true"); // the store in use, always

        handle.close();

        assertThat(registry.read().server()).isEmpty();
        assertThat(handle.tokenFile()).doesNotExist();
        assertThat(TestSupport.listens(handle.port())).isFalse();
    }

    @Test
    public void embeddedChatHandleGoesThroughTheSameStartAndRecordsItsMode() throws Exception {
        ServerHandle handle = start(ServerMode.EMBEDDED_CHAT, 0);

        ServerRecord server = registry.read().server().orElseThrow();
        assertThat(server.serverId()).isEqualTo(handle.serverId()).startsWith("embedded-chat-");
        assertThat(server.mode()).isEqualTo(ServerMode.EMBEDDED_CHAT);
        assertThat(RawHttp.get(handle.port(), "/api/runtime-host").body).contains("\"mode\":\"embedded-chat\"");
    }

    @Test
    public void closingOlderServerKeepsNewerRecord() throws Exception {
        ServerHandle older = start(ServerMode.DAEMON, 0);
        ServerHandle newer = start(options(ServerMode.EMBEDDED_CHAT, 0).withOwnership(OwnershipPolicy.TAKE_OVER));
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(newer.serverId());
        byte[] before = Files.readAllBytes(registry.path());

        older.close();

        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(newer.serverId());
        assertThat(Files.readAllBytes(registry.path())).isEqualTo(before);
    }

    @Test
    public void aDaemonTakesTheRecordOverFromAnEmbeddedChatAndHandsItBackWhenItCloses() throws Exception {
        ServerHandle chat = start(ServerMode.EMBEDDED_CHAT, 0);
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(chat.serverId());

        ServerHandle daemon = start(ServerMode.DAEMON, 0);
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(daemon.serverId());
        assertThat(RawHttp.get(chat.port(), "/api/health").status).isEqualTo(200);

        daemon.close();

        ServerRecord back = registry.read().server().orElseThrow();
        assertThat(back.serverId()).isEqualTo(chat.serverId());
        assertThat(registry.judge(back).fresh()).isTrue();
        chat.close();
        assertThat(registry.read().server()).isEmpty();
    }

    @Test
    public void anEmbeddedChatClaimingBesideADaemonFailsAndLeavesTheDaemonsRecord() throws Exception {
        ServerHandle daemon = start(ServerMode.DAEMON, 0);

        assertThatThrownBy(() -> start(ServerMode.EMBEDDED_CHAT, 0))
                .isInstanceOfSatisfying(ServerStartException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ServerStartException.Reason.OWNER_CONFLICT);
                    assertThat(e.liveServer().orElseThrow().serverId()).isEqualTo(daemon.serverId());
                });
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(daemon.serverId());
    }

    @Test
    public void secondClaimingStartFailsWithTheLiveServerAndLeavesNothingBehind() throws Exception {
        ServerHandle first = start(ServerMode.DAEMON, 0);
        int runtimesBefore = TestSupport.httpRuntimes(context).size();

        assertThatThrownBy(() -> start(ServerMode.DAEMON, 0)).isInstanceOfSatisfying(ServerStartException.class, e -> {
            assertThat(e.reason()).isEqualTo(ServerStartException.Reason.OWNER_CONFLICT);
            assertThat(e.liveServer().orElseThrow().serverId()).isEqualTo(first.serverId());
        });

        assertThat(TestSupport.httpRuntimes(context)).hasSize(runtimesBefore);
        assertThat(TestSupport.httpFactoryConfigurations(configAdmin)).hasSize(runtimesBefore);
        assertThat(registry.read().server().orElseThrow().serverId()).isEqualTo(first.serverId());
    }

    @Test
    public void portInUseFailsClearlyAndLeavesNoRecordListenerOrConfiguration() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> start(ServerMode.DAEMON, port))
                    .isInstanceOfSatisfying(ServerStartException.class, e -> {
                        assertThat(e.reason()).isEqualTo(ServerStartException.Reason.PORT_IN_USE);
                        assertThat(e.getMessage()).contains("Port " + port).contains("already in use");
                    });
        }
        assertThat(registry.read().server()).isEmpty();
        assertThat(TestSupport.httpRuntimes(context)).isEmpty();
        assertThat(TestSupport.httpFactoryConfigurations(configAdmin)).isEmpty();
        assertThat(TestSupport.tokenFiles(home())).isEmpty();
    }

    @Test
    public void missingAssetsNameTheFolderAndNothingIsBound() throws Exception {
        Path assets = newFolder("assets-without-index");

        assertThatThrownBy(() -> start(options(ServerMode.DAEMON, 0).withAssetsDir(assets)))
                .isInstanceOfSatisfying(ServerStartException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ServerStartException.Reason.ASSETS_MISSING);
                    assertThat(e.getMessage()).contains(assets.toString());
                });
        assertThat(TestSupport.httpRuntimes(context)).isEmpty();
        assertThat(TestSupport.httpFactoryConfigurations(configAdmin)).isEmpty();
        assertThat(registry.read().server()).isEmpty();
    }

    @Test
    public void nothingListensButTheLifecycleInstances() throws Exception {
        assertThat(TestSupport.httpRuntimes(context))
                .as("no default Jetty instance")
                .isEmpty();
        ServerHandle handle = start(ServerMode.DAEMON, 0);

        assertThat(TestSupport.httpRuntimes(context)).hasSize(1);
        assertThat(String.valueOf(TestSupport.httpRuntimes(context).get(0).getProperty("org.osgi.service.http.port")))
                .isEqualTo(Integer.toString(handle.port()));
        assertThat(TestSupport.listens(8080))
                .as("nothing on Felix HTTP's default port")
                .isFalse();
    }

    @Test
    public void closeFromFourThreadsAtOnceRunsExactlyOnce() throws Exception {
        ServerHandle handle = start(ServerMode.DAEMON, 0);
        AtomicInteger deletions = new AtomicInteger();
        ServiceRegistration<ConfigurationListener> listener = context.registerService(
                ConfigurationListener.class,
                event -> {
                    if (event.getType() == ConfigurationEvent.CM_DELETED
                            && "org.apache.felix.http".equals(event.getFactoryPid())) {
                        deletions.incrementAndGet();
                    }
                },
                null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> closes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                closes.add(pool.submit(() -> {
                    go.await();
                    handle.close();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> close : closes) {
                close.get(); // rethrows anything that escaped close()
            }
            Poll.until("the configuration deletion was delivered", Duration.ofSeconds(5), () -> deletions.get() >= 1);
            assertThat(deletions.get()).isEqualTo(1);
            assertThat(handle.closed()).isTrue();
            assertThat(registry.read().server()).isEmpty();
        } finally {
            listener.unregister();
            pool.shutdownNow();
        }
    }
}
