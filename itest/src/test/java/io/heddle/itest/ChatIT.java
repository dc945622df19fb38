package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.chat.ChatEngine;
import io.heddle.api.chat.ChatTopics;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.Poll;
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

/** Chat sessions over real HTTP: storage in the workspace, engines, the lease, events. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChatIT extends InContainerTestBase {

    private static final String ENGINE_PID = "io.heddle.chat.engine.command";

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private ServerHandle server;
    private Path workspace;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("chat"));
    }

    @Before
    public void startServer() throws Exception {
        workspace = newFolder("ws");
        server = start(localOptions(ServerMode.DAEMON, workspace));
    }

    @After
    public void cleanUp() throws Exception {
        registrations.forEach(ServiceRegistration::unregister);
        removeEngine();
    }

    // --- HTTP helpers ---

    private RawHttp.Response call(
            ServerHandle to, String method, String path, String client, String body, String... moreHeaders)
            throws Exception {
        Map<String, String> headers = new HashMap<>();
        if (!method.equals("GET")) {
            headers.put("Authorization", "Bearer " + to.token());
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        if (client != null) {
            headers.put("Heddle-Client-Id", client);
        }
        for (int i = 0; i + 1 < moreHeaders.length; i += 2) {
            headers.put(moreHeaders[i], moreHeaders[i + 1]);
        }
        return RawHttp.send(
                to.port(), method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private String createSession(ServerHandle on, String client, String id) throws Exception {
        RawHttp.Response created = call(on, "POST", "/api/chat/sessions", client, "{\"id\":\"" + id + "\"}");
        assertThat(created.status).as(created.body).isEqualTo(201);
        return TestSupport.jsonString(created.body, "id");
    }

    private Path sessionsDir(ServerHandle of) {
        return of.stateRoot().resolve("chat").resolve("sessions");
    }

    // --- engine helpers ---

    private Path script(String body) throws Exception {
        Path dir = Files.createDirectories(home().resolve("engines"));
        Path file = Files.createTempFile(dir, "engine", ".sh");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private void configureEngine(Path script, long timeoutMs) throws Exception {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("argv", new String[] {script.toString()});
        props.put("timeoutMs", timeoutMs);
        configAdmin.getConfiguration(ENGINE_PID, "?").update(props);
        Poll.until(
                "the command engine runs " + script,
                Duration.ofSeconds(10),
                () -> engineRefs().stream()
                        .anyMatch(r -> Long.valueOf(timeoutMs).equals(r.getProperty("timeoutMs"))
                                && java.util.Arrays.equals(
                                        new String[] {script.toString()}, (String[]) r.getProperty("argv"))));
    }

    private void removeEngine() throws Exception {
        org.osgi.service.cm.Configuration[] configs =
                configAdmin.listConfigurations("(service.pid=" + ENGINE_PID + ")");
        if (configs != null) {
            for (org.osgi.service.cm.Configuration c : configs) {
                c.delete();
            }
        }
        Poll.until(
                "no chat engine is registered",
                Duration.ofSeconds(10),
                () -> engineRefs().isEmpty());
    }

    private List<org.osgi.framework.ServiceReference<ChatEngine>> engineRefs() {
        try {
            return new ArrayList<>(context.getServiceReferences(ChatEngine.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Event> listen(String sessionId) {
        List<Event> events = new CopyOnWriteArrayList<>();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, ChatTopics.PREFIX + "*");
        props.put(EventConstants.EVENT_FILTER, "(sessionId=" + sessionId + ")");
        registrations.add(context.registerService(EventHandler.class, events::add, props));
        return events;
    }

    private static List<String> topics(List<Event> events) {
        return events.stream()
                .map(e -> e.getTopic().substring(ChatTopics.PREFIX.length()))
                .collect(Collectors.toList());
    }

    // --- tests ---

    @Test
    public void sessionsAreCreatedListedRenamedAndDeletedInTheWorkspace() throws Exception {
        RawHttp.Response created = call(server, "POST", "/api/chat/sessions", null, "{\"name\":\"Release plan\"}");
        assertThat(created.status).as(created.body).isEqualTo(201);
        String id = TestSupport.jsonString(created.body, "id");
        assertThat(sessionsDir(server).resolve(id + ".json")).exists();
        assertThat(created.body)
                .contains(
                        "\"name\":\"Release plan\"",
                        "\"messages\":[]",
                        "\"holder\":\"server:" + server.serverId() + "\"");

        assertThat(RawHttp.get(server.port(), "/api/chat/sessions").body).contains("\"id\":\"" + id + "\"");

        RawHttp.Response renamed = call(server, "PATCH", "/api/chat/sessions/" + id, null, "{\"name\":\"Plan B\"}");
        assertThat(renamed.status).as(renamed.body).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).body).contains("\"name\":\"Plan B\"");

        assertThat(call(server, "DELETE", "/api/chat/sessions/" + id, null, null).status)
                .isEqualTo(204);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).status)
                .isEqualTo(404);
        assertThat(sessionsDir(server).resolve(id + ".json")).doesNotExist();
    }

    @Test
    public void withNoEngineTheMessageIsStoredAndAnExplicitNoticeAnswers() throws Exception {
        String id = createSession(server, null, "no-engine");
        List<Event> events = listen(id);

        RawHttp.Response sent = call(
                server, "POST", "/api/chat/sessions/" + id + "/messages", null, "{\"text\":\"Is anybody there?\"}");

        assertThat(sent.status).as(sent.body).isEqualTo(201);
        assertThat(sent.body)
                .contains(
                        "\"outcome\":\"no_engine\"",
                        "\"role\":\"system\"",
                        "No chat engine is configured",
                        "io.heddle.chat.engine.command.cfg");
        String session = RawHttp.get(server.port(), "/api/chat/sessions/" + id).body;
        assertThat(session)
                .contains("{\"role\":\"user\",\"text\":\"Is anybody there?\"")
                .contains("\"role\":\"system\",\"text\":\"No chat engine is configured")
                .doesNotContain("\"role\":\"assistant\"");
        Poll.until(
                "the reply-done event arrived",
                Duration.ofSeconds(5),
                () -> topics(events).contains("REPLY_DONE"));
        assertThat(topics(events)).containsExactly("MESSAGE_ADDED", "MESSAGE_ADDED", "REPLY_DONE");
        assertThat(events.get(2).getProperty("outcome")).isEqualTo("no_engine");
        assertThat(events.get(2).getProperty("serverId")).isEqualTo(server.serverId());
    }

    @Test
    public void commandEngineStreamsItsReplyAsTheProgramWritesIt() throws Exception {
        Path go = home().resolve("go-" + System.nanoTime());
        // Reads the conversation, answers in two parts, and waits for the test between them.
        Path engine = script("prompt=$(tail -n 1)\n"
                + "printf 'Thinking about <%s>. ' \"$prompt\"\n"
                + "i=0; while [ ! -e '" + go + "' ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done\n"
                + "printf 'Answer: 42.'");
        configureEngine(engine, 20_000);
        String id = createSession(server, "terminal-1", "streamed");
        List<Event> events = listen(id);

        CompletableFuture<RawHttp.Response> sent = CompletableFuture.supplyAsync(() -> {
            try {
                return call(
                        server,
                        "POST",
                        "/api/chat/sessions/" + id + "/messages",
                        "terminal-1",
                        "{\"text\":\"What is the answer?\"}",
                        "Accept",
                        "application/x-ndjson");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Poll.until(
                "the first chunk streamed",
                Duration.ofSeconds(10),
                () -> topics(events).contains("REPLY_CHUNK"));
        assertThat(sent).isNotDone();
        assertThat(topics(events)).doesNotContain("REPLY_DONE");
        Files.createFile(go);
        RawHttp.Response response = sent.get(20, TimeUnit.SECONDS);

        assertThat(response.status).as(response.body).isEqualTo(201);
        assertThat(response.headers.get("content-type")).startsWith("application/x-ndjson");
        List<String> lines = response.body.lines().collect(Collectors.toList());
        assertThat(lines.get(0)).startsWith("{\"type\":\"message\",\"index\":0,\"message\":{\"role\":\"user\"");
        assertThat(lines.get(1))
                .startsWith("{\"type\":\"chunk\"")
                .contains("Thinking about <user: What is the answer?>. ");
        assertThat(lines.get(lines.size() - 1))
                .startsWith("{\"type\":\"done\"")
                .contains("\"outcome\":\"completed\"", "\"engine\":\"command\"");
        String reply = "Thinking about <user: What is the answer?>. Answer: 42.";
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).body)
                .contains("{\"role\":\"assistant\",\"text\":\"" + reply + "\"");
        Poll.until(
                "the reply-done event arrived",
                Duration.ofSeconds(5),
                () -> topics(events).contains("REPLY_DONE"));
        List<Event> chunks = events.stream()
                .filter(e -> e.getTopic().endsWith("REPLY_CHUNK"))
                .collect(Collectors.toList());
        assertThat(chunks.size()).isGreaterThanOrEqualTo(2);
        assertThat(chunks.stream().map(e -> (String) e.getProperty("text")).collect(Collectors.joining()))
                .isEqualTo(reply);
        Event done = events.stream()
                .filter(e -> e.getTopic().endsWith("REPLY_DONE"))
                .findFirst()
                .orElseThrow();
        assertThat(done.getProperty("text")).isEqualTo(reply);
        assertThat(done.getProperty("replyId")).isEqualTo(chunks.get(0).getProperty("replyId"));
    }

    @Test
    public void failingEngineIsReportedAndNeverPassedOffAsAnAnswer() throws Exception {
        configureEngine(script("echo 'model llama9 not found' >&2; exit 7"), 20_000);
        String id = createSession(server, null, "failing");

        RawHttp.Response sent =
                call(server, "POST", "/api/chat/sessions/" + id + "/messages", null, "{\"text\":\"hello\"}");

        assertThat(sent.status).as(sent.body).isEqualTo(201);
        assertThat(sent.body)
                .contains("\"outcome\":\"failed\"", "exited with code 7", "model llama9 not found")
                .doesNotContain("\"role\":\"assistant\"");
    }

    @Test
    public void secondWriterGets409WhileTheLeaseIsFresh() throws Exception {
        String id = createSession(server, "terminal-1", "leased");

        RawHttp.Response other =
                call(server, "POST", "/api/chat/sessions/" + id + "/messages", "browser-7", "{\"text\":\"me too\"}");

        assertThat(other.status).as(other.body).isEqualTo(409);
        assertThat(other.body).contains("\"code\":\"session_leased\"", "'terminal-1'", "lease runs until");
        assertThat(call(server, "PATCH", "/api/chat/sessions/" + id, "browser-7", "{\"name\":\"x\"}").status)
                .isEqualTo(409);
        assertThat(call(server, "DELETE", "/api/chat/sessions/" + id, "browser-7", null).status)
                .isEqualTo(409);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).body).contains("\"messages\":[]");
        // the holder itself goes on writing
        assertThat(call(
                                server,
                                "POST",
                                "/api/chat/sessions/" + id + "/messages",
                                "terminal-1",
                                "{\"text\":\"still mine\"}")
                        .status)
                .isEqualTo(201);
    }

    @Test
    public void twoServersOnOneWorkspaceDoNotWriteTheSameSessionAtOnce() throws Exception {
        ServerHandle chat =
                start(localOptions(ServerMode.EMBEDDED_CHAT, workspace).withOwnership(OwnershipPolicy.TAKE_OVER));
        String id = createSession(chat, null, "shared");

        RawHttp.Response fromDaemon =
                call(server, "POST", "/api/chat/sessions/" + id + "/messages", null, "{\"text\":\"daemon here\"}");

        assertThat(fromDaemon.status).as(fromDaemon.body).isEqualTo(409);
        assertThat(fromDaemon.body).contains("server:" + chat.serverId());
        // reading is free for everyone
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).status)
                .isEqualTo(200);
    }

    @Test
    public void corruptSessionFileIsSetAsideAndReported() throws Exception {
        Path dir = Files.createDirectories(sessionsDir(server));
        Files.writeString(dir.resolve("broken.json"), "{\"id\":\"broken\",\"messages\":[{\"role\":");
        createSession(server, null, "intact");

        RawHttp.Response list = RawHttp.get(server.port(), "/api/chat/sessions");

        assertThat(list.status).isEqualTo(200);
        assertThat(list.body)
                .contains("\"id\":\"intact\"")
                .doesNotContain("\"id\":\"broken\"")
                .contains("\"setAside\":[{\"file\":\"" + dir.resolve("broken.json") + "\"", "broken.json.corrupt-");
        assertThat(dir.resolve("broken.json")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> aside = files.filter(p -> p.getFileName().toString().startsWith("broken.json.corrupt-"))
                    .collect(Collectors.toList());
            assertThat(aside).hasSize(1);
            assertThat(aside.get(0)).content().startsWith("{\"id\":\"broken\"");
        }
    }

    @Test
    public void readingOneCorruptSessionSaysWhereItWent() throws Exception {
        Path dir = Files.createDirectories(sessionsDir(server));
        Files.writeString(dir.resolve("garbled.json"), "not json at all");

        RawHttp.Response read = RawHttp.get(server.port(), "/api/chat/sessions/garbled");

        assertThat(read.status).isEqualTo(404);
        assertThat(read.body).contains("\"code\":\"not_found\"", "set aside as", "garbled.json.corrupt-");
    }

    @Test
    public void mutatingChatCallsNeedTheToken() throws Exception {
        RawHttp.Response response = RawHttp.send(
                server.port(),
                "POST",
                "/api/chat/sessions",
                Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.status).isEqualTo(401);
        assertThat(response.body).contains("\"code\":\"token_required\"");
    }

    @Test
    public void badInputGetsAClear4xxNeverA500() throws Exception {
        String id = createSession(server, null, "strict");
        String messages = "/api/chat/sessions/" + id + "/messages";

        assertThat(call(server, "POST", messages, null, "{\"text\":\"\"}").status)
                .isEqualTo(400);
        assertThat(call(server, "POST", messages, null, "{\"text\":").body).contains("\"code\":\"bad_request\"");
        assertThat(call(server, "POST", messages, null, "[]").status).isEqualTo(400);
        assertThat(call(server, "POST", messages, "bad id with spaces", "{\"text\":\"x\"}").status)
                .isEqualTo(400);
        RawHttp.Response plain = RawHttp.send(
                server.port(),
                "POST",
                messages,
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "text/plain"),
                "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(plain.status).isEqualTo(415);
        assertThat(call(server, "POST", "/api/chat/sessions", null, "{\"id\":\"../etc\"}").status)
                .isEqualTo(400);
        assertThat(call(server, "POST", "/api/chat/sessions", null, "{\"id\":\"strict\"}").status)
                .isEqualTo(409);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/no-such").status)
                .isEqualTo(404);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id + "/other").status)
                .isEqualTo(404);
        assertThat(call(server, "PUT", "/api/chat/sessions/" + id, null, "{}").status)
                .isEqualTo(405);
    }

    @Test
    public void aClientThatGivesItsLeaseUpLetsTheNextClientWriteAtOnce() throws Exception {
        String id = createSession(server, "terminal-1", "handover");
        String lease = "/api/chat/sessions/" + id + "/lease";
        RawHttp.Response early = call(server, "PATCH", "/api/chat/sessions/" + id, "terminal-2", "{\"name\":\"x\"}");
        assertThat(early.status).as(early.body).isEqualTo(409);

        RawHttp.Response refused = call(server, "DELETE", lease, "terminal-2", null);
        assertThat(refused.status).as(refused.body).isEqualTo(409);
        assertThat(refused.body).contains("\"code\":\"session_leased\"", "terminal-1");
        RawHttp.Response released = call(server, "DELETE", lease, "terminal-1", null);
        assertThat(released.status).as(released.body).isEqualTo(204);
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/" + id).body).contains("\"lease\":null");

        RawHttp.Response renamed =
                call(server, "PATCH", "/api/chat/sessions/" + id, "terminal-2", "{\"name\":\"mine now\"}");
        assertThat(renamed.status).as(renamed.body).isEqualTo(200);
        assertThat(renamed.body).contains("\"holder\":\"terminal-2\"");
    }

    @Test
    public void theLeaseEndpointAnswersBadCallsWithJsonErrors() throws Exception {
        createSession(server, "terminal-1", "errors");

        RawHttp.Response unknown = call(server, "DELETE", "/api/chat/sessions/nope/lease", "terminal-1", null);
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.body).contains("\"code\":\"not_found\"");
        RawHttp.Response wrongMethod = call(server, "POST", "/api/chat/sessions/errors/lease", "terminal-1", "{}");
        assertThat(wrongMethod.status).isEqualTo(405);
        assertThat(wrongMethod.body).contains("\"error\"");
        RawHttp.Response noToken = RawHttp.send(
                server.port(),
                "DELETE",
                "/api/chat/sessions/errors/lease",
                Map.of("Heddle-Client-Id", "terminal-1"),
                null);
        assertThat(noToken.status).isEqualTo(401);
        RawHttp.Response badClient = call(server, "DELETE", "/api/chat/sessions/errors/lease", "bad id", null);
        assertThat(badClient.status).isEqualTo(400);
    }

    @Test
    public void aLeaseNamingAnEndedClientProcessIsFreeAtOnce() throws Exception {
        Process client = new ProcessBuilder("sleep", "60").start();
        String process = client.pid() + " " + client.info().startInstant().orElseThrow();
        RawHttp.Response created = call(
                server,
                "POST",
                "/api/chat/sessions",
                "terminal-1",
                "{\"id\":\"crash\"}",
                "Heddle-Client-Process",
                process);
        assertThat(created.status).as(created.body).isEqualTo(201);
        assertThat(created.body).contains("\"process\":{\"pid\":" + client.pid());
        assertThat(call(server, "PATCH", "/api/chat/sessions/crash", "terminal-2", "{\"name\":\"x\"}").status)
                .isEqualTo(409);

        client.destroyForcibly();
        assertThat(client.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        RawHttp.Response renamed =
                call(server, "PATCH", "/api/chat/sessions/crash", "terminal-2", "{\"name\":\"after the crash\"}");
        assertThat(renamed.status).as(renamed.body).isEqualTo(200);
    }

    @Test
    public void sessionsOfAnotherWorkspaceOfTheCatalogAreServedWithTheWorkspaceParameter() throws Exception {
        Path other = newFolder("other");
        RawHttp.Response added = RawHttp.send(
                server.port(),
                "POST",
                "/api/workspaces",
                Map.of("Authorization", "Bearer " + server.token(), "Content-Type", "application/json"),
                ("{\"workspaceRoot\":\"" + other + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(added.status).as(added.body).isIn(200, 201);
        String workspaceId = TestSupport.jsonString(added.body, "id");

        RawHttp.Response created =
                call(server, "POST", "/api/chat/sessions?workspace=" + workspaceId, null, "{\"id\":\"elsewhere\"}");

        assertThat(created.status).as(created.body).isEqualTo(201);
        assertThat(other.resolve(".heddle/chat/sessions/elsewhere.json")).exists();
        assertThat(sessionsDir(server).resolve("elsewhere.json")).doesNotExist();
        assertThat(RawHttp.get(server.port(), "/api/chat/sessions/elsewhere?workspace=" + workspaceId).status)
                .isEqualTo(200);
        RawHttp.Response unknown = RawHttp.get(server.port(), "/api/chat/sessions?workspace=ws-0000000000000000");
        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.body).contains("\"code\":\"not_found\"", "POST /api/workspaces");
        RawHttp.Response bad = RawHttp.get(server.port(), "/api/chat/sessions?workspace=..%2Fetc");
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.body).contains("\"code\":\"bad_request\"");
    }
}
