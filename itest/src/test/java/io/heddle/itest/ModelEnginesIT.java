package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatTopics;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.FakeModelProvider;
import io.heddle.itest.support.FakeModelProvider.Answer;
import io.heddle.itest.support.FakeModelProvider.Ending;
import io.heddle.itest.support.Json;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Model engines in a real container: engines configured through Configuration Admin answer chat
 * sessions from the loopback fake provider, every failure ends {@code failed} with the part that
 * arrived kept, cancel ends {@code cancelled}, and the key (set in the test JVM's environment by
 * failsafe, {@value #KEY_ENV}) never shows in an answer, an event or a file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModelEnginesIT extends InContainerTestBase {

    static final String KEY_ENV = "HEDDLE_ITEST_MODEL_KEY";
    private static final String OPENAI = "io.heddle.chat.engine.openai";
    private static final String ANTHROPIC = "io.heddle.chat.engine.anthropic";

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** Every body the server answered, to search for the key. */
    private final List<String> answers = new CopyOnWriteArrayList<>();

    private FakeModelProvider provider;
    private ServerHandle server;
    private Path workspace;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("engines"));
    }

    @Before
    public void start() throws Exception {
        assertThat(System.getenv(KEY_ENV)).as("failsafe sets " + KEY_ENV).isNotBlank();
        provider = FakeModelProvider.start();
        workspace = newFolder("ws");
        server = start(localOptions(ServerMode.DAEMON, workspace));
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, ChatTopics.PREFIX + "*");
        registrations.add(context.registerService(EventHandler.class, events::add, props));
    }

    @After
    public void stop() throws Exception {
        registrations.forEach(ServiceRegistration::unregister);
        org.osgi.service.cm.Configuration[] configs = configAdmin.listConfigurations(
                "(|(service.factoryPid=" + OPENAI + ")(service.factoryPid=" + ANTHROPIC + "))");
        if (configs != null) {
            for (org.osgi.service.cm.Configuration c : configs) {
                c.delete();
            }
        }
        Poll.until(
                "no model engine is registered",
                Duration.ofSeconds(10),
                () -> engineNames().isEmpty());
        server.close();
        provider.close();
    }

    private List<String> engineNames() {
        try {
            return context.getServiceReferences(ChatEngine.class, "(heddle.chat.protocol=*)").stream()
                    .map(r -> (String) r.getProperty(ChatEngine.ENGINE_PROPERTY))
                    .collect(Collectors.toList());
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void configure(String factoryPid, String name, Map<String, Object> settings) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>(settings);
        props.putIfAbsent("model", "fake-model");
        props.putIfAbsent("idleTimeoutMs", 1500L);
        configAdmin.getFactoryConfiguration(factoryPid, name, "?").update(props);
        Poll.until(
                "engine " + name + " is registered",
                Duration.ofSeconds(10),
                () -> engineNames().contains(name));
    }

    private void openAiEngine(String name) throws Exception {
        configure(OPENAI, name, Map.of("baseUrl", provider.openAiBaseUrl(), "apiKeyEnv", KEY_ENV));
    }

    private RawHttp.Response call(String method, String path, String body) throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (!method.equals("GET")) {
            headers.put("Authorization", "Bearer " + server.token());
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        RawHttp.Response response = RawHttp.send(
                server.port(), method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        answers.add(response.body);
        return response;
    }

    private String session(String id) throws Exception {
        RawHttp.Response created = call("POST", "/api/chat/sessions", "{\"id\":\"" + id + "\"}");
        assertThat(created.status).as(created.body).isEqualTo(201);
        return id;
    }

    private Map<String, Object> send(String sessionId, String text) throws Exception {
        RawHttp.Response sent =
                call("POST", "/api/chat/sessions/" + sessionId + "/messages", "{\"text\":\"" + text + "\"}");
        assertThat(sent.status).as(sent.body).isEqualTo(201);
        return Json.object(sent.body);
    }

    private static List<Map<String, Object>> replies(Map<String, Object> turn) {
        return Json.list(turn.get("replies")).stream().map(Json::map).collect(Collectors.toList());
    }

    // --- tests ---

    @Test
    public void anOpenAiEngineConfiguredThroughConfigAdminStreamsItsReplyIntoASession() throws Exception {
        openAiEngine("local");
        provider.enqueue(Answer.reply("Hello", " from", " the model."));
        String id = session("streamed");

        Map<String, Object> turn = send(id, "Hi");

        assertThat(turn.get("outcome")).isEqualTo("completed");
        assertThat(turn.get("engine")).isEqualTo("local");
        assertThat(replies(turn))
                .extracting(r -> r.get("role"), r -> r.get("text"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("assistant", "Hello from the model."));
        Poll.until("the reply is done", Duration.ofSeconds(5), () -> topics().contains("REPLY_DONE"));
        assertThat(events.stream()
                        .filter(e -> e.getTopic().endsWith("REPLY_CHUNK"))
                        .map(e -> (String) e.getProperty("text"))
                        .collect(Collectors.toList()))
                .containsExactly("Hello", " from", " the model.");
        assertThat(provider.requests().get(0).path()).isEqualTo("/v1/chat/completions");
        assertThat(provider.requests().get(0).body()).contains("\"content\":\"Hi\"");
        assertThat(Files.readString(workspace.resolve(".heddle/chat/sessions/" + id + ".json")))
                .contains("Hello from the model.");
    }

    @Test
    public void enginesAreListedWithTheirProblemAndASessionNamesItsEngine() throws Exception {
        openAiEngine("local");
        Path keyFile = Files.createTempFile(home(), "claude", ".key");
        Files.writeString(keyFile, "sk-ant-file-key-0123456789");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        configure(
                ANTHROPIC,
                "claude",
                Map.of("baseUrl", provider.anthropicBaseUrl(), "apiKeyFile", keyFile.toString(), "ranking", "-5"));

        Map<String, Object> listed = Json.object(call("GET", "/api/chat/engines", null).body);
        Map<String, Map<String, Object>> byName = Json.list(listed.get("engines")).stream()
                .map(Json::map)
                .collect(Collectors.toMap(m -> (String) m.get("name"), m -> m));
        assertThat(listed.get("default")).isEqualTo("local");
        assertThat(byName.get("local"))
                .containsEntry("protocol", "openai")
                .containsEntry("model", "fake-model")
                .containsEntry("usable", true);
        assertThat(byName.get("claude")).containsEntry("protocol", "anthropic").containsEntry("usable", false);
        assertThat((String) byName.get("claude").get("problem")).contains("can be read by others", "chmod 600");

        String id = session("chosen");
        RawHttp.Response unknown = call("PATCH", "/api/chat/sessions/" + id, "{\"engine\":\"nope\"}");
        assertThat(unknown.status).isEqualTo(400);
        assertThat(unknown.body).contains("unknown_engine", "configured: ");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        RawHttp.Response chosen = call("PATCH", "/api/chat/sessions/" + id, "{\"engine\":\"claude\"}");
        assertThat(chosen.status).as(chosen.body).isEqualTo(200);
        assertThat(chosen.body).contains("\"engine\":\"claude\"");
        provider.enqueue(Answer.reply("Claude", " here."));

        Map<String, Object> turn = send(id, "Who are you?");

        assertThat(turn.get("engine")).isEqualTo("claude");
        assertThat(replies(turn).get(0).get("text")).isEqualTo("Claude here.");
        assertThat(provider.requests().get(0).path()).isEqualTo("/v1/messages");
        assertThat(Files.readString(workspace.resolve(".heddle/chat/sessions/" + id + ".json")))
                .contains("\"engine\" : \"claude\"");
    }

    @Test
    public void everyFailureEndsFailedKeepsThePartThatArrivedAndSaysWhatToDo() throws Exception {
        openAiEngine("local");
        int deadPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            deadPort = free.getLocalPort();
        }
        configure(OPENAI, "dead", Map.of("baseUrl", "http://127.0.0.1:" + deadPort + "/v1", "ranking", "-1"));
        Object[][] cases = {
            {Answer.status(401, "invalid_request_error", "bad key"), "", "refused the API key"},
            {Answer.status(403, "permission_error", "no access"), "", "forbids this request"},
            {Answer.status(404, "not_found_error", "no such model"), "", "does not know model 'fake-model'"},
            {Answer.status(500, "server_error", "boom"), "", "the server failed (500)"},
            {Answer.reply("cut ", "here").then(Ending.CUT), "cut here", "the part that arrived is kept"},
            {Answer.reply("bad ", "frame").then(Ending.MALFORMED), "bad frame", "not valid openai stream data"},
            {Answer.reply("slow").then(Ending.STALL), "slow", "sent nothing for 1500 ms"},
            {Answer.reply("err").then(Ending.ERROR_EVENT), "err", "error in the middle of the reply"},
        };
        String id = session("failures");
        for (Object[] c : cases) {
            provider.enqueue((Answer) c[0]);
            Map<String, Object> turn = send(id, "again");
            assertThat(turn.get("outcome")).as("%s", c[2]).isEqualTo("failed");
            List<Map<String, Object>> replies = replies(turn);
            if (((String) c[1]).isEmpty()) {
                assertThat(replies).extracting(r -> r.get("role")).containsExactly("system");
            } else {
                assertThat(replies)
                        .extracting(r -> r.get("role"), r -> r.get("text"))
                        .first()
                        .isEqualTo(org.assertj.core.groups.Tuple.tuple("assistant", c[1]));
            }
            assertThat((String) replies.get(replies.size() - 1).get("text"))
                    .as("%s", c[2])
                    .startsWith("The local engine did not finish its reply: ")
                    .contains((String) c[2]);
        }
        // 429: honoured once, then failed
        provider.enqueue(Answer.status(429, "rate_limit_error", "slow down").header("Retry-After", "0"));
        provider.enqueue(Answer.status(429, "rate_limit_error", "slower").header("Retry-After", "0"));
        int before = provider.requests().size();
        Map<String, Object> limited = send(id, "again");
        assertThat(limited.get("outcome")).isEqualTo("failed");
        assertThat(provider.requests()).hasSize(before + 2);
        assertThat((String) replies(limited).get(0).get("text")).contains("rate-limiting", "also after the wait");
        // connection refused
        assertThat(call("PATCH", "/api/chat/sessions/" + id, "{\"engine\":\"dead\"}").status)
                .isEqualTo(200);
        Map<String, Object> refused = send(id, "anyone?");
        assertThat(refused.get("outcome")).isEqualTo("failed");
        assertThat((String) replies(refused).get(0).get("text"))
                .contains("could not connect", "is the model server running");
    }

    @Test
    public void cancelStopsAStreamingReplyKeepsItsPartAndEndsCancelled() throws Exception {
        configure(
                OPENAI,
                "local",
                Map.of("baseUrl", provider.openAiBaseUrl(), "apiKeyEnv", KEY_ENV, "idleTimeoutMs", 600_000L));
        provider.enqueue(Answer.reply("the first part").then(Ending.STALL));
        String id = session("cancelled");
        assertThat(call("POST", "/api/chat/sessions/" + id + "/cancel", null).status)
                .as("nothing to cancel yet")
                .isEqualTo(409);

        CompletableFuture<Map<String, Object>> turn = CompletableFuture.supplyAsync(() -> {
            try {
                return send(id, "Tell me everything");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Poll.until("the first chunk arrived", Duration.ofSeconds(10), () -> topics().contains("REPLY_CHUNK"));
        RawHttp.Response cancel = call("POST", "/api/chat/sessions/" + id + "/cancel", null);
        assertThat(cancel.status).as(cancel.body).isEqualTo(202);

        Map<String, Object> done = turn.get(20, TimeUnit.SECONDS);
        assertThat(done.get("outcome")).isEqualTo("cancelled");
        assertThat(replies(done)).extracting(r -> r.get("role")).containsExactly("assistant", "system");
        assertThat(replies(done).get(0).get("text")).isEqualTo("the first part");
        assertThat((String) replies(done).get(1).get("text")).contains("stopped on request");
        Poll.until("the reply is done", Duration.ofSeconds(5), () -> topics().contains("REPLY_DONE"));
        assertThat(events.stream()
                        .filter(e -> e.getTopic().endsWith("REPLY_DONE"))
                        .findFirst()
                        .orElseThrow()
                        .getProperty("outcome"))
                .isEqualTo("cancelled");
    }

    @Test
    public void theKeyFromTheEnvironmentNeverShowsInAnAnswerAnEventOrAFile() throws Exception {
        String key = System.getenv(KEY_ENV);
        try (EventStreamReader stream = new EventStreamReader(server.endpointUrl(), null)) {
            openAiEngine("local");
            String id = session("secret");
            provider.enqueue(Answer.status(401, "invalid_request_error", "Incorrect API key provided")
                    .echoingKey());
            Map<String, Object> refused = send(id, "hello");
            assertThat(refused.get("outcome")).isEqualTo("failed");
            provider.enqueue(Answer.reply("fine"));
            send(id, "hello again");
            call("GET", "/api/chat/engines", null);
            call("GET", "/api/chat/sessions/" + id, null);
            call("GET", "/api/chat/sessions", null);
            Poll.until(
                    "the events arrived",
                    Duration.ofSeconds(10),
                    () -> stream.events.stream()
                                    .filter(e -> e.event().equals("chat.reply_done"))
                                    .count()
                            == 2);
            assertThat(provider.requests().get(0).headers().get("authorization"))
                    .as("the key was used")
                    .isEqualTo("Bearer " + key);
            assertThat((String) replies(refused).get(0).get("text")).contains("[redacted]");

            assertThat(answers).isNotEmpty().allSatisfy(a -> assertThat(a).doesNotContain(key));
            assertThat(stream.events)
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.data().toString()).doesNotContain(key));
            assertThat(events).isNotEmpty().allSatisfy(e -> {
                for (String name : e.getPropertyNames()) {
                    assertThat(String.valueOf(e.getProperty(name))).doesNotContain(key);
                }
            });
            for (Path root : List.of(home(), workspace)) {
                try (Stream<Path> files = Files.walk(root)) {
                    List<Path> all = files.filter(Files::isRegularFile).collect(Collectors.toList());
                    assertThat(all).isNotEmpty();
                    for (Path file : all) {
                        assertThat(contains(file, key))
                                .as("%s holds the key", file)
                                .isFalse();
                    }
                }
            }
        }
    }

    private static boolean contains(Path file, String key) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).contains(key);
        } catch (IOException unreadable) {
            return false;
        }
    }

    private List<String> topics() {
        return events.stream()
                .map(e -> e.getTopic().substring(ChatTopics.PREFIX.length()))
                .collect(Collectors.toList());
    }
}
