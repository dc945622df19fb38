package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.FakeModelProvider;
import io.heddle.itest.support.FakeModelProvider.Answer;
import io.heddle.itest.support.FakeModelProvider.Ending;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A real daemon with a model engine configured in {@code etc/}: it answers chat through the
 * loopback fake provider, runs {@code agent} heartbeat tasks through it, and keeps the key
 * (from the environment, set by failsafe) out of its files and its output.
 */
public class ModelEnginesE2E {

    private static final String KEY_ENV = "HEDDLE_ITEST_MODEL_KEY";

    private static HeddleSandbox sandbox;
    private static FakeModelProvider provider;
    private static HeddleRun daemon;
    private static ServerRecord server;

    @BeforeClass
    public static void daemonWithAnEngine() throws Exception {
        provider = FakeModelProvider.start();
        sandbox = new HeddleSandbox("engines");
        Path etc = Files.createDirectories(sandbox.home().resolve("etc"));
        Files.writeString(
                etc.resolve("io.heddle.chat.engine.openai-local.cfg"),
                "baseUrl=" + provider.openAiBaseUrl() + "\nmodel=fake-model\napiKeyEnv=" + KEY_ENV
                        + "\ntemperature=0.2\n");
        daemon = sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        server = sandbox.liveRecord().orElseThrow();
        Poll.until(
                "the daemon lists the engine from etc/",
                Duration.ofSeconds(30),
                () -> get("/api/chat/engines").contains("\"name\":\"local\""));
    }

    @AfterClass
    public static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private static String get(String path) {
        try {
            return call("GET", path, null).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return sandbox.call(server, method, path, body, Duration.ofSeconds(20));
    }

    @Test
    public void aChatMessageIsAnsweredThroughTheEngineConfiguredInEtc() throws Exception {
        provider.enqueue(Answer.reply("Forty", "-two."));
        HttpResponse<String> created = call("POST", "/api/chat/sessions", "{\"id\":\"e2e-chat\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        HttpResponse<String> sent =
                call("POST", "/api/chat/sessions/e2e-chat/messages", "{\"text\":\"What is the answer?\"}");

        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
        assertThat(sent.body())
                .contains(
                        "\"outcome\":\"completed\"",
                        "\"engine\":\"local\"",
                        "{\"role\":\"assistant\",\"text\":\"Forty-two.\"");
        FakeModelProvider.Request request = provider.requests().stream()
                .filter(r -> r.body().contains("What is the answer?"))
                .findFirst()
                .orElseThrow();
        assertThat(request.headers().get("authorization")).isEqualTo("Bearer " + System.getenv(KEY_ENV));
        assertThat(request.body()).contains("\"temperature\":0.2");
        assertNoFileOrOutputHoldsTheKey();
    }

    @Test
    public void anAgentTaskThatTheModelDeclaresCompleteEndsComplete() throws Exception {
        provider.enqueue(Answer.reply("The build is green on main.\n", "DECISION: complete - nothing left to do"));
        String workspaceId = TestSupport.jsonString(get("/api/workspaces"), "activeWorkspaceId");
        String tasks = "/api/workspaces/" + workspaceId + "/heartbeat/tasks";
        HttpResponse<String> created = call(
                "POST",
                tasks,
                "{\"name\":\"watch the build\",\"task\":\"Check whether "
                        + "the build on main is green.\",\"enabled\":true,\"schedule\":{\"intervalMs\":3600000},"
                        + "\"runner\":\"agent\",\"runnerConfig\":{\"engine\":\"local\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String taskId = TestSupport.jsonString(created.body(), "id");

        HttpResponse<String> runNow = call("POST", tasks + "/" + taskId + "/run", null);
        assertThat(runNow.statusCode()).as(runNow.body()).isBetween(200, 299);

        Poll.until(
                "the agent task is complete",
                Duration.ofSeconds(30),
                () -> get(tasks + "/" + taskId).contains("\"status\":\"complete\""));
        String runs = get(tasks + "/" + taskId + "/runs");
        assertThat(runs)
                .contains(
                        "\"decision\":\"complete\"",
                        "\"status\":\"finished\"",
                        "nothing left to do",
                        "The build is green on main.");
        FakeModelProvider.Request asked = provider.requests().stream()
                .filter(r -> r.body().contains("Check whether the build on main is green."))
                .findFirst()
                .orElseThrow();
        assertThat(asked.body()).contains("watch the build", "DECISION: <continue|pause|complete|escalate>");
        assertNoFileOrOutputHoldsTheKey();
    }

    @Test
    public void heddleChatWithEngineAnswersAndCtrlCDuringAReplyStopsOnlyTheReply() throws Exception {
        provider.enqueue(Answer.reply("partial answer").then(Ending.STALL));
        // A shell or CI runner may start us with SIGINT ignored, which every child would inherit
        // (and a JVM never replaces): perl gives the chat the default disposition back.
        HeddleRun chat = sandbox.startRaw(List.of(
                "perl",
                "-e",
                "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!",
                HeddleSandbox.executable().toString(),
                "chat",
                "--workspace",
                sandbox.workspace().toString(),
                "--engine",
                "local"));
        OutputStream stdin = chat.process().getOutputStream();
        assertThat(chat.awaitLine(l -> l.startsWith("session="), HeddleSandbox.START_DEADLINE))
                .as(chat.report())
                .isPresent();
        // the engine is chosen for the session once it is open: its line follows session=
        assertThat(chat.awaitLine(l -> l.equals("engine=local"), HeddleSandbox.START_DEADLINE))
                .as(chat.report())
                .isPresent();
        String sessionId = chat.value("session").orElseThrow();
        int before = provider.frameWrites().size();

        stdin.write("Tell me everything\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        Poll.until(
                "the provider sent the first part",
                Duration.ofSeconds(30),
                () -> provider.frameWrites().size() > before);
        Process interrupt = new ProcessBuilder("sh", "-c", "kill -INT " + chat.pid()).start(); // the shell's own kill
        assertThat(interrupt.waitFor()).isZero();

        assertThat(chat.awaitLine(
                        l -> l.startsWith("[system] The reply was stopped on request"), Duration.ofSeconds(30)))
                .as(chat.report())
                .isPresent();
        assertThat(chat.process().isAlive())
                .as("Ctrl-C during a reply leaves the chat running")
                .isTrue();
        // the reply streams after the prompt marker "> " that the chat printed
        assertThat(chat.stdout()).as(chat.report()).anyMatch(l -> l.endsWith("partial answer"));
        assertThat(Files.readString(sandbox.workspace().resolve(".heddle/chat/sessions/" + sessionId + ".json")))
                .contains("\"engine\" : \"local\"", "partial answer");

        stdin.write("/exit\n".getBytes(StandardCharsets.UTF_8));
        stdin.flush();
        assertThat(chat.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                .as(chat.report())
                .isZero();
    }

    private static void assertNoFileOrOutputHoldsTheKey() throws IOException {
        String key = System.getenv(KEY_ENV);
        assertThat(key).isNotBlank();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sandbox.home())) {
            files = walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
        assertThat(files).anySatisfy(f -> assertThat(f.toString()).endsWith("server.log"));
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertThat(text.contains(key)).as("%s holds the key", file).isFalse();
        }
        assertThat(String.join("\n", daemon.stdout()) + String.join("\n", daemon.stderr()))
                .doesNotContain(key);
    }
}
