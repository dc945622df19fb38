package io.heddle.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownRequestsTest {

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Terminal terminal = new Terminal(
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    private final CompletableFuture<Integer> halted = new CompletableFuture<>();
    private final ShutdownRequests requests = new ShutdownRequests(terminal, halted::complete, Duration.ofMillis(50));

    @Test
    void firstSignalRequestsAStopAndNothingMore() throws Exception {
        assertThat(requests.isRequested()).isFalse();
        requests.signalled("SIGTERM");
        assertThat(requests.await(Duration.ofSeconds(1))).isTrue();
        assertThat(requests.reason()).isEqualTo("SIGTERM");
        assertThat(halted).isNotDone();
        assertThat(err.size()).isZero();
    }

    @Test
    void anInterruptTheInterceptorHandlesRequestsNoStopButOtherSignalsStillDo() {
        boolean[] replying = {true};
        requests.interceptInterrupt(() -> replying[0]);

        requests.signalled("SIGINT");
        assertThat(requests.isRequested()).as("Ctrl-C during a reply").isFalse();

        requests.signalled("SIGTERM");
        assertThat(requests.isRequested()).isTrue();
        assertThat(requests.reason()).isEqualTo("SIGTERM");
    }

    @Test
    void anInterruptTheInterceptorDeclinesRequestsTheStop() {
        requests.interceptInterrupt(() -> false);

        requests.signalled("SIGINT");

        assertThat(requests.isRequested()).isTrue();
        assertThat(requests.reason()).isEqualTo("SIGINT");
    }

    @Test
    void signalWhileStoppingForcesExitOneAfterTheGracePeriod() throws Exception {
        requests.request("shutdown request");
        requests.signalled("SIGINT");
        assertThat(halted.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("heddle: SIGINT received while stopping")
                .contains("heddle status");
    }

    @Test
    void laterRequestsKeepTheFirstReason() {
        requests.request("shutdown request");
        requests.request("SIGTERM");
        assertThat(requests.reason()).isEqualTo("shutdown request");
    }
}
