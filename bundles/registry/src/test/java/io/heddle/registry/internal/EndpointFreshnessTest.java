package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record without {@code processStartedAt} (the reference's format) is fresh only while a
 * server answers on its endpoint: a live pid alone may belong to an unrelated process. Judged,
 * claimed and resolved alike, with the probe injected, and the real HTTP probe against real
 * listeners on 127.0.0.1.
 */
class EndpointFreshnessTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> probed = new CopyOnWriteArrayList<>();
    private HttpServer http;
    private ServerSocket mute;

    @AfterEach
    void closeListeners() throws IOException {
        if (http != null) {
            http.stop(0);
        }
        if (mute != null) {
            mute.close();
        }
    }

    private FileDaemonRegistry registry(Optional<String> probeAnswer) {
        EndpointProbe probe = (host, port) -> {
            probed.add(host + ":" + port);
            return probeAnswer;
        };
        return new FileDaemonRegistry(dir.resolve(REGISTRY_FILE), clock, STALE_AFTER, new ProcessLiveness(), probe,
                message -> { }, Duration.ofSeconds(5));
    }

    /** A record of the reference's format naming this (live, unrelated) JVM. */
    private static ServerRecord referenceRecord(String serverId, int port) {
        return new ServerRecord(serverId, ServerMode.DAEMON, "127.0.0.1", port, ProcessHandle.current().pid(), null,
                T0, T0);
    }

    private static Instant ownStart() {
        return ProcessLiveness.startInstant(ProcessHandle.current().pid()).orElseThrow();
    }

    @Test
    void recordWithoutStartInstantAndSilentEndpointIsStaleWithTheReason() {
        FileDaemonRegistry registry = registry(Optional.of("nothing listens on 127.0.0.1:9"));

        LiveServer judged = registry.judge(referenceRecord("daemon-ref", 9));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason()).isEqualTo("the record has no processStartedAt, and nothing listens on 127.0.0.1:9");
        assertThat(probed).containsExactly("127.0.0.1:9");
    }

    @Test
    void recordWithoutStartInstantAndAnsweringEndpointIsFresh() {
        assertThat(registry(Optional.empty()).judge(referenceRecord("daemon-ref", 9)).fresh()).isTrue();
    }

    @Test
    void recordWithStartInstantIsNeverProbed() {
        FileDaemonRegistry registry = registry(Optional.of("silent"));
        ServerRecord ours = new ServerRecord("daemon-ours", ServerMode.DAEMON, "127.0.0.1", 9,
                ProcessHandle.current().pid(), ownStart(), T0, T0);

        assertThat(registry.judge(ours).fresh()).isTrue();
        assertThat(probed).isEmpty();
    }

    @Test
    void staleHeartbeatOrDeadPidIsDecidedWithoutProbing() throws InterruptedException {
        FileDaemonRegistry registry = registry(Optional.empty());
        long ended = RegistryTestData.pidOfAnEndedProcess();

        assertThat(registry.judge(new ServerRecord("daemon-dead", ServerMode.DAEMON, "127.0.0.1", 9, ended, null, T0,
                T0)).stale()).isTrue();
        clock.advance(STALE_AFTER.plusMillis(1));
        assertThat(registry.judge(referenceRecord("daemon-old", 9)).stale()).isTrue();
        assertThat(probed).isEmpty();
    }

    @Test
    void claimReplacesASilentReferenceRecordAndResolveSaysNoLiveServer() {
        FileDaemonRegistry silent = registry(Optional.of("nothing listens on 127.0.0.1:9"));
        silent.takeOver(referenceRecord("daemon-ref", 9));
        assertThat(silent.resolveLiveServer()).get().extracting(LiveServer::fresh).isEqualTo(false);

        ServerRecord ours = new ServerRecord("daemon-ours", ServerMode.DAEMON, "127.0.0.1", 10,
                ProcessHandle.current().pid(), ownStart(), T0, T0);
        ClaimResult claim = silent.claim(ours);

        assertThat(claim.isClaimed()).isTrue();
        assertThat(claim.existing()).map(ServerRecord::serverId).contains("daemon-ref");
        assertThat(silent.read().server()).contains(ours);
    }

    @Test
    void claimOverAnAnsweringReferenceRecordConflicts() {
        FileDaemonRegistry answering = registry(Optional.empty());
        answering.takeOver(referenceRecord("daemon-ref", 9));

        ClaimResult claim = answering.claim(new ServerRecord("daemon-ours", ServerMode.DAEMON, "127.0.0.1", 10,
                ProcessHandle.current().pid(), ownStart(), T0, T0));

        assertThat(claim.outcome()).isEqualTo(ClaimResult.Outcome.CONFLICT);
        assertThat(answering.read().server()).map(ServerRecord::serverId).contains("daemon-ref");
    }

    // --- the real probe ---

    private int serve(String path, int status) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", exchange -> {
            int code = exchange.getRequestURI().getPath().equals(path) ? status : 404;
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http.getAddress().getPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void heddleHealthAnswers() throws IOException {
        int port = serve("/api/health", 200);

        assertThat(new HealthEndpointProbe().silentReason("127.0.0.1", port)).isEmpty();
    }

    @Test
    void referenceTrpcHealthAnswers() throws IOException {
        int port = serve("/trpc/health", 200);

        assertThat(new HealthEndpointProbe().silentReason("localhost", port)).isEmpty();
    }

    @Test
    void tokenWallOfANonLoopbackHeddleServerAnswers() throws IOException {
        int port = serve("/api/health", 401);

        assertThat(new HealthEndpointProbe().silentReason("127.0.0.1", port)).isEmpty();
    }

    @Test
    void wildcardHostIsProbedOnLoopback() throws IOException {
        int port = serve("/api/health", 200);

        assertThat(new HealthEndpointProbe().silentReason("0.0.0.0", port)).isEmpty();
    }

    @Test
    void unrelatedHttpServerIsSilent() throws IOException {
        int port = serve("/something-else", 200);

        assertThat(new HealthEndpointProbe().silentReason("127.0.0.1", port))
                .contains("GET /trpc/health at 127.0.0.1:" + port + " answers 404");
    }

    @Test
    void nothingListeningIsSilent() throws IOException {
        int port = closedPort();

        assertThat(new HealthEndpointProbe().silentReason("127.0.0.1", port))
                .contains("nothing listens on 127.0.0.1:" + port);
    }

    @Test
    void listenerThatNeverAnswersIsSilentAfterTheTimeout() throws IOException {
        mute = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try (Socket held = mute.accept()) {
                held.getInputStream().readAllBytes();
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();

        assertThat(new HealthEndpointProbe(Duration.ofMillis(200)).silentReason("127.0.0.1", mute.getLocalPort()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("within 200 ms"));
    }

    @Test
    void hostsOfOtherMachinesAndNamesAreNeverContacted() {
        HealthEndpointProbe probe = new HealthEndpointProbe();

        assertThat(probe.silentReason("192.0.2.1", 8765)).contains("its host 192.0.2.1 is not an address of this machine");
        assertThat(probe.silentReason("example.invalid", 8765))
                .contains("its host example.invalid is not an address of this machine");
        assertThat(HealthEndpointProbe.localAddress("[::1]")).hasValueSatisfying(a -> assertThat(a.isLoopbackAddress())
                .isTrue());
    }

    @Test
    void statusLineParsing() {
        assertThat(HealthEndpointProbe.parseStatus("HTTP/1.1 200 OK")).isEqualTo(200);
        assertThat(HealthEndpointProbe.parseStatus("HTTP/1.0 401")).isEqualTo(401);
        assertThat(HealthEndpointProbe.parseStatus("SSH-2.0-OpenSSH_9.6")).isEqualTo(-1);
        assertThat(HealthEndpointProbe.parseStatus("")).isEqualTo(-1);
    }
}
