package io.heddle.registry.internal;

import static io.heddle.registry.internal.RegistryTestData.REGISTRY_FILE;
import static io.heddle.registry.internal.RegistryTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ClaimResult;
import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.support.MutableClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
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
 * listeners on 127.0.0.1 (plain sockets speaking HTTP/1.1).
 */
class EndpointFreshnessTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(45);
    /**
     * The real probe with room for a loaded test machine: the first request to a fresh JDK
     * HTTP server may take longer than the production 500 ms. Answers and refusals return at once.
     */
    private static final HealthEndpointProbe ANSWER_IN_TIME = new HealthEndpointProbe(Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final List<String> probed = new CopyOnWriteArrayList<>();
    private ServerSocket http;
    private ServerSocket mute;

    @AfterEach
    void closeListeners() throws IOException {
        if (http != null) {
            http.close();
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
        return new FileDaemonRegistry(
                dir.resolve(REGISTRY_FILE),
                clock,
                STALE_AFTER,
                new ProcessLiveness(),
                probe,
                message -> {},
                Duration.ofSeconds(5));
    }

    /** A record of the reference's format naming this (live, unrelated) JVM. */
    private static ServerRecord referenceRecord(String serverId, int port) {
        return new ServerRecord(
                serverId,
                ServerMode.DAEMON,
                "127.0.0.1",
                port,
                ProcessHandle.current().pid(),
                null,
                T0,
                T0);
    }

    private static Instant ownStart() {
        return ProcessLiveness.startInstant(ProcessHandle.current().pid()).orElseThrow();
    }

    @Test
    void recordWithoutStartInstantAndSilentEndpointIsStaleWithTheReason() {
        FileDaemonRegistry registry = registry(Optional.of("nothing listens on 127.0.0.1:9"));

        LiveServer judged = registry.judge(referenceRecord("daemon-ref", 9));

        assertThat(judged.stale()).isTrue();
        assertThat(judged.staleReason())
                .isEqualTo("the record has no processStartedAt, and nothing listens on 127.0.0.1:9");
        assertThat(probed).containsExactly("127.0.0.1:9");
    }

    @Test
    void recordWithoutStartInstantAndAnsweringEndpointIsFresh() {
        assertThat(registry(Optional.empty())
                        .judge(referenceRecord("daemon-ref", 9))
                        .fresh())
                .isTrue();
    }

    @Test
    void recordWithStartInstantIsNeverProbed() {
        FileDaemonRegistry registry = registry(Optional.of("silent"));
        ServerRecord ours = new ServerRecord(
                "daemon-ours",
                ServerMode.DAEMON,
                "127.0.0.1",
                9,
                ProcessHandle.current().pid(),
                ownStart(),
                T0,
                T0);

        assertThat(registry.judge(ours).fresh()).isTrue();
        assertThat(probed).isEmpty();
    }

    @Test
    void staleHeartbeatOrDeadPidIsDecidedWithoutProbing() throws InterruptedException {
        FileDaemonRegistry registry = registry(Optional.empty());
        long ended = RegistryTestData.pidOfAnEndedProcess();

        assertThat(registry.judge(
                                new ServerRecord("daemon-dead", ServerMode.DAEMON, "127.0.0.1", 9, ended, null, T0, T0))
                        .stale())
                .isTrue();
        clock.advance(STALE_AFTER.plusMillis(1));
        assertThat(registry.judge(referenceRecord("daemon-old", 9)).stale()).isTrue();
        assertThat(probed).isEmpty();
    }

    @Test
    void claimReplacesASilentReferenceRecordAndResolveSaysNoLiveServer() {
        FileDaemonRegistry silent = registry(Optional.of("nothing listens on 127.0.0.1:9"));
        silent.takeOver(referenceRecord("daemon-ref", 9));
        assertThat(silent.resolveLiveServer())
                .get()
                .extracting(LiveServer::fresh)
                .isEqualTo(false);

        ServerRecord ours = new ServerRecord(
                "daemon-ours",
                ServerMode.DAEMON,
                "127.0.0.1",
                10,
                ProcessHandle.current().pid(),
                ownStart(),
                T0,
                T0);
        ClaimResult claim = silent.claim(ours);

        assertThat(claim.isClaimed()).isTrue();
        assertThat(claim.existing()).map(ServerRecord::serverId).contains("daemon-ref");
        assertThat(silent.read().server()).contains(ours);
    }

    @Test
    void claimOverAnAnsweringReferenceRecordConflicts() {
        FileDaemonRegistry answering = registry(Optional.empty());
        answering.takeOver(referenceRecord("daemon-ref", 9));

        ClaimResult claim = answering.claim(new ServerRecord(
                "daemon-ours",
                ServerMode.DAEMON,
                "127.0.0.1",
                10,
                ProcessHandle.current().pid(),
                ownStart(),
                T0,
                T0));

        assertThat(claim.outcome()).isEqualTo(ClaimResult.Outcome.CONFLICT);
        assertThat(answering.read().server()).map(ServerRecord::serverId).contains("daemon-ref");
    }

    // --- the real probe ---

    /**
     * A real HTTP/1.1 listener on 127.0.0.1 that answers {@code status} for {@code path}, 404
     * for any other path (one request per connection, as the probe sends).
     */
    private int serve(String path, int status) throws IOException {
        http = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        ServerSocket listener = http;
        Thread server = new Thread(
                () -> {
                    while (!listener.isClosed()) {
                        try (Socket connection = listener.accept()) {
                            BufferedReader in = new BufferedReader(
                                    new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                            String requestLine = in.readLine();
                            String line;
                            while ((line = in.readLine()) != null && !line.isEmpty()) {
                                // skip the headers
                            }
                            String[] parts = requestLine == null ? new String[0] : requestLine.split(" ");
                            int code = parts.length > 1 && parts[1].equals(path) ? status : 404;
                            OutputStream out = connection.getOutputStream();
                            out.write(("HTTP/1.1 " + code + " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                                    .getBytes(StandardCharsets.US_ASCII));
                            out.flush();
                        } catch (IOException closedOrReset) {
                            // the test is over, or the client went away
                        }
                    }
                },
                "test-http");
        server.setDaemon(true);
        server.start();
        return listener.getLocalPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void heddleHealthAnswers() throws IOException {
        int port = serve("/api/health", 200);

        assertThat(ANSWER_IN_TIME.silentReason("127.0.0.1", port)).isEmpty();
    }

    @Test
    void referenceTrpcHealthAnswers() throws IOException {
        int port = serve("/trpc/health", 200);

        assertThat(ANSWER_IN_TIME.silentReason("localhost", port)).isEmpty();
    }

    @Test
    void tokenWallOfANonLoopbackHeddleServerAnswers() throws IOException {
        int port = serve("/api/health", 401);

        assertThat(ANSWER_IN_TIME.silentReason("127.0.0.1", port)).isEmpty();
    }

    @Test
    void wildcardHostIsProbedOnLoopback() throws IOException {
        int port = serve("/api/health", 200);

        assertThat(ANSWER_IN_TIME.silentReason("0.0.0.0", port)).isEmpty();
    }

    @Test
    void unrelatedHttpServerIsSilent() throws IOException {
        int port = serve("/something-else", 200);

        assertThat(ANSWER_IN_TIME.silentReason("127.0.0.1", port))
                .contains("GET /trpc/health at 127.0.0.1:" + port + " answers 404");
    }

    @Test
    void nothingListeningIsSilent() throws IOException {
        int port = closedPort();

        assertThat(ANSWER_IN_TIME.silentReason("127.0.0.1", port)).contains("nothing listens on 127.0.0.1:" + port);
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

        assertThat(probe.silentReason("192.0.2.1", 8765))
                .contains("its host 192.0.2.1 is not an address of this machine");
        assertThat(probe.silentReason("example.invalid", 8765))
                .contains("its host example.invalid is not an address of this machine");
        assertThat(HealthEndpointProbe.localAddress("[::1]"))
                .hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
    }

    @Test
    void statusLineParsing() {
        assertThat(HealthEndpointProbe.parseStatus("HTTP/1.1 200 OK")).isEqualTo(200);
        assertThat(HealthEndpointProbe.parseStatus("HTTP/1.0 401")).isEqualTo(401);
        assertThat(HealthEndpointProbe.parseStatus("SSH-2.0-OpenSSH_9.6")).isEqualTo(-1);
        assertThat(HealthEndpointProbe.parseStatus("")).isEqualTo(-1);
    }
}
