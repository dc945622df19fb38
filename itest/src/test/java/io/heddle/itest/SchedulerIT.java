package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatDecision;
import io.heddle.api.heartbeat.HeartbeatRunContext;
import io.heddle.api.heartbeat.HeartbeatRunResult;
import io.heddle.api.heartbeat.HeartbeatTaskRunner;
import io.heddle.api.heartbeat.HeartbeatTasks;
import io.heddle.api.lifecycle.OwnershipPolicy;
import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.registry.ServerMode;
import io.heddle.itest.support.Json;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The heartbeat task scheduler in the real platform: tasks created over HTTP, run by the
 * scheduler sessions the lifecycle starts, streamed on {@code /api/events}. Short intervals come
 * from configuration; waits are deadlines on observable effects.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SchedulerIT extends InContainerTestBase {

    private static final Path HOME = TestSupport.newHome("scheduler");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final String SCHEDULER_PID = "io.heddle.heartbeat.scheduler";
    private static final String EVENTS_PID = "io.heddle.http.events";

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return TestSupport.platform(
                HOME,
                TestSupport.configuration(
                        HOME,
                        SCHEDULER_PID,
                        Map.of(
                                "pollIntervalMs",
                                100L,
                                "minIntervalMs",
                                100L,
                                "maxConcurrentTasks",
                                8,
                                "historyLimit",
                                1000,
                                "leaseTtlMs",
                                5_000L,
                                "stopTimeoutMs",
                                2_000L)),
                TestSupport.configuration(HOME, EVENTS_PID, Map.of("keepAliveMs", 200L)));
    }

    @Before
    public void shortIntervals() throws Exception {
        // components publish their configuration as service properties: wait until they have ours
        Poll.until("the scheduler and the event stream took the test configuration", DEADLINE, () -> {
            ServiceReference<HeartbeatTasks> ref = context.getServiceReference(HeartbeatTasks.class);
            return ref != null
                    && Long.valueOf(100L).equals(ref.getProperty("minIntervalMs"))
                    && eventStreamServiceReference() != null
                    && Long.valueOf(200L).equals(eventStreamServiceReference().getProperty("keepAliveMs"));
        });
    }

    @After
    public void closeEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private ServerHandle start(ServerMode mode, Path workspace, OwnershipPolicy ownership) throws Exception {
        ServerHandle handle = lifecycle.start(localOptions(mode, workspace).withOwnership(ownership));
        cleanup.add(handle::close);
        return handle;
    }

    private ServerHandle start(Path workspace) throws Exception {
        return start(ServerMode.DAEMON, workspace, OwnershipPolicy.TAKE_OVER);
    }

    private EventStreamReader events(ServerHandle handle) throws Exception {
        EventStreamReader reader = new EventStreamReader(handle.endpointUrl(), null);
        cleanup.add(reader);
        return reader;
    }

    private static String tasksPath(String workspaceId) {
        return "/api/workspaces/" + workspaceId + "/heartbeat/tasks";
    }

    private static String createBody(String name, long intervalMs, String runner, String runnerConfig) {
        return "{\"name\": \"" + name + "\", \"task\": \"" + name + " for the test\", \"enabled\": true,"
                + " \"schedule\": {\"intervalMs\": " + intervalMs + "}, \"runner\": \"" + runner + "\","
                + " \"runnerConfig\": " + runnerConfig + "}";
    }

    private static String create(HeartbeatHttp api, String workspaceId, String body) throws Exception {
        HeartbeatHttp.Answer created = api.post(tasksPath(workspaceId), body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return (String) created.json().get("id");
    }

    private static List<Map<String, Object>> runs(HeartbeatHttp api, String workspaceId, String taskId)
            throws IOException, InterruptedException {
        HeartbeatHttp.Answer answer = api.get(tasksPath(workspaceId) + "/" + taskId + "/runs");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<Map<String, Object>> out = new ArrayList<>();
        Json.list(answer.json().get("runs")).forEach(r -> out.add(Json.map(r)));
        return out;
    }

    private static Map<String, Object> stateOf(HeartbeatHttp api, String workspaceId, String taskId) throws Exception {
        return Json.map(api.get(tasksPath(workspaceId) + "/" + taskId).json().get("state"));
    }

    @Test
    public void commandTaskRunsOnScheduleAndOnRunNowAndTheStreamShowsItsRuns() throws Exception {
        ServerHandle server = start(Files.createTempDirectory(HOME, "ws"));
        HeartbeatHttp api = new HeartbeatHttp(server);
        String ws = api.activeWorkspaceId();
        EventStreamReader stream = events(server);

        String scheduled = create(
                api, ws, createBody("echo", 300, "command", "{\"argv\": [\"echo\", \"hello\"], \"timeoutMs\": 10000}"));

        EventStreamReader.Sse started =
                stream.await("started", EventStreamReader.named("heartbeat.task.started", scheduled));
        EventStreamReader.Sse finished =
                stream.await("finished", EventStreamReader.named("heartbeat.task.finished", scheduled));
        assertThat(started.data())
                .containsEntry("serverId", server.serverId())
                .containsEntry("workspaceId", ws)
                .containsEntry("trigger", "schedule");
        assertThat(finished.data())
                .containsEntry("decision", "continue")
                .containsEntry("status", "idle")
                .containsEntry("runId", started.data().get("runId"));
        Map<String, Object> run = api.get(tasksPath(ws) + "/" + scheduled + "/runs/"
                        + started.data().get("runId"))
                .json();
        assertThat(run)
                .containsEntry("status", "finished")
                .containsEntry("decision", "continue")
                .containsEntry("trigger", "schedule")
                .containsEntry("serverId", server.serverId());
        assertThat(Json.map(run.get("details"))).containsEntry("exitCode", 0L).containsEntry("stdoutTail", "hello\n");
        assertThat(runs(api, ws, scheduled))
                .extracting(r -> r.get("id"))
                .contains(started.data().get("runId"));

        String manual = create(api, ws, createBody("manual", 3_600_000, "command", "{\"argv\": [\"echo\", \"now\"]}"));
        HeartbeatHttp.Answer accepted = api.post(tasksPath(ws) + "/" + manual + "/run", "{}");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        stream.await("run-now finished", EventStreamReader.named("heartbeat.task.finished", manual));
        List<Map<String, Object>> manualRuns = runs(api, ws, manual);
        assertThat(manualRuns).hasSize(1);
        assertThat(manualRuns.get(0)).containsEntry("trigger", "request").containsEntry("status", "finished");
        assertThat(Json.map(api.get(tasksPath(ws) + "/" + manual).json().get("schedule"))
                        .get("nextRunAt"))
                .as("run-now leaves the schedule alone")
                .isNotNull();

        // a client that reconnects with Last-Event-ID gets what came after that event
        try (EventStreamReader replay = new EventStreamReader(server.endpointUrl(), started.id())) {
            replay.await("replayed finish", EventStreamReader.named("heartbeat.task.finished", scheduled));
            assertThat(replay.events).noneMatch(e -> e.id().equals(started.id()));
        }
    }

    @Test
    public void taskCallsAnswerJsonErrorsAndNeedTheToken() throws Exception {
        ServerHandle server = start(Files.createTempDirectory(HOME, "ws"));
        HeartbeatHttp api = new HeartbeatHttp(server);
        String ws = api.activeWorkspaceId();
        String body = createBody("x", 60_000, "command", "{\"argv\": [\"true\"]}");

        assertThat(api.postWithoutToken(tasksPath(ws), body).status()).isEqualTo(401);
        HeartbeatHttp.Answer tooShort =
                api.post(tasksPath(ws), createBody("x", 5, "command", "{\"argv\": [\"true\"]}"));
        assertThat(tooShort.status()).isEqualTo(400);
        assertThat(Json.map(tooShort.json().get("error"))).containsEntry("field", "schedule.intervalMs");
        HeartbeatHttp.Answer noArgv = api.post(tasksPath(ws), createBody("x", 60_000, "command", "{}"));
        assertThat(noArgv.status()).isEqualTo(400);
        assertThat(Json.map(noArgv.json().get("error"))).containsEntry("field", "runnerConfig.argv");
        assertThat(api.post(tasksPath(ws), "{\"task\": ").status()).isEqualTo(400);
        assertThat(api.get("/api/workspaces/ws-nope/heartbeat/tasks").status()).isEqualTo(404);
        assertThat(api.get(tasksPath(ws) + "/task-nope").status()).isEqualTo(404);
        assertThat(api.get(tasksPath(ws) + "/task-nope/runs").status()).isEqualTo(404);
        assertThat(api.get(tasksPath(ws) + "/not%20an%20id/runs").status()).isEqualTo(404);

        String id = create(api, ws, body);
        assertThat(api.get(tasksPath(ws) + "/" + id + "/runs/run-nope").status())
                .isEqualTo(404);
        assertThat(api.post(tasksPath(ws) + "/" + id + "/resume", "{}").status())
                .isEqualTo(409);
        HeartbeatHttp.Answer disabled = api.patch(tasksPath(ws) + "/" + id, "{\"enabled\": false}");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json()).containsEntry("enabled", false);
        assertThat(api.post(tasksPath(ws) + "/" + id + "/run", "{}").status()).isEqualTo(409);
        assertThat(api.delete(tasksPath(ws) + "/" + id).status()).isEqualTo(200);
        assertThat(api.get(tasksPath(ws) + "/" + id).status()).isEqualTo(404);
    }

    @Test
    public void runnersEndpointListsTheKindsInstalledNowAndFollowsTheirServices() throws Exception {
        ServerHandle server = start(Files.createTempDirectory(HOME, "ws"));
        HeartbeatHttp api = new HeartbeatHttp(server);
        assertThat(runnerKinds(api)).contains("command").doesNotContain("it-listed");

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HeartbeatTaskRunner.KIND, "it-listed");
        ServiceRegistration<HeartbeatTaskRunner> registration = context.registerService(
                HeartbeatTaskRunner.class,
                c -> new HeartbeatRunResult(HeartbeatDecision.COMPLETE, "listed", Map.of()),
                props);
        try {
            assertThat(runnerKinds(api)).contains("command", "it-listed");
            Map<String, Object> listed = Json.list(
                            api.get("/api/heartbeat/runners").json().get("runners"))
                    .stream()
                    .map(Json::map)
                    .filter(r -> "it-listed".equals(r.get("kind")))
                    .findFirst()
                    .orElseThrow();
            assertThat(listed.get("bundle")).isEqualTo(context.getBundle().getSymbolicName());
        } finally {
            registration.unregister();
        }
        assertThat(runnerKinds(api)).contains("command").doesNotContain("it-listed");
        HeartbeatHttp.Answer post = api.post("/api/heartbeat/runners", "{}");
        assertThat(post.status()).as(post.toString()).isEqualTo(405);
    }

    private static List<Object> runnerKinds(HeartbeatHttp api) throws Exception {
        HeartbeatHttp.Answer answer = api.get("/api/heartbeat/runners");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        List<Object> kinds = new ArrayList<>();
        Json.list(answer.json().get("runners"))
                .forEach(r -> kinds.add(Json.map(r).get("kind")));
        return kinds;
    }

    @Test
    public void taskWaitingForAMissingRunnerRunsOnceTheRunnerIsRegistered() throws Exception {
        ServerHandle server = start(Files.createTempDirectory(HOME, "ws"));
        HeartbeatHttp api = new HeartbeatHttp(server);
        String ws = api.activeWorkspaceId();
        String id = create(api, ws, createBody("later", 200, "it-later", "{\"greeting\": \"hi\"}"));

        Poll.until("the task says it waits for its runner", DEADLINE, () -> {
            Map<String, Object> state = stateOf(api, ws, id);
            return "waiting".equals(state.get("status"))
                    && "runner".equals(state.get("needs"))
                    && String.valueOf(state.get("message")).contains("'it-later'");
        });

        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HeartbeatTaskRunner.KIND, "it-later");
        ServiceRegistration<HeartbeatTaskRunner> registration = context.registerService(
                HeartbeatTaskRunner.class,
                c -> new HeartbeatRunResult(
                        HeartbeatDecision.COMPLETE,
                        "greeted " + c.runnerConfig().get("greeting"),
                        Map.of()),
                props);
        cleanup.add(registration::unregister);

        Poll.until(
                "the task ran with the new runner",
                DEADLINE,
                () -> "complete".equals(stateOf(api, ws, id).get("status")));
        List<Map<String, Object>> history = runs(api, ws, id);
        assertThat(history).hasSize(1);
        assertThat(history.get(0)).containsEntry("summary", "greeted hi").containsEntry("decision", "complete");
    }

    @Test
    public void twoServersOnOneWorkspaceRunEachDueTaskExactlyOnce() throws Exception {
        Path workspace = Files.createTempDirectory(HOME, "shared");
        ServerHandle daemon = start(ServerMode.DAEMON, workspace, OwnershipPolicy.TAKE_OVER);
        ServerHandle chat = start(ServerMode.EMBEDDED_CHAT, workspace, OwnershipPolicy.TAKE_OVER);
        HeartbeatHttp api = new HeartbeatHttp(daemon);
        String ws = api.activeWorkspaceId();
        assertThat(new HeartbeatHttp(chat).activeWorkspaceId()).isEqualTo(ws);

        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        Map<String, Set<String>> serversOf = new ConcurrentHashMap<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(HeartbeatTaskRunner.KIND, "it-count");
        HeartbeatTaskRunner counting = (HeartbeatRunContext c) -> {
            AtomicInteger n = inFlight.computeIfAbsent(c.task().id(), k -> new AtomicInteger());
            if (n.incrementAndGet() > 1) {
                overlaps.add(c.task().id() + " ran twice at once (" + c.runId() + " on " + c.serverId() + ")");
            }
            serversOf.computeIfAbsent("all", k -> ConcurrentHashMap.newKeySet()).add(c.serverId());
            try {
                Thread.sleep(20); // the task's own work: a window in which a second run would overlap
            } finally {
                n.decrementAndGet();
            }
            return HeartbeatRunResult.of(HeartbeatDecision.CONTINUE, "counted on " + c.serverId());
        };
        ServiceRegistration<HeartbeatTaskRunner> registration =
                context.registerService(HeartbeatTaskRunner.class, counting, props);
        cleanup.add(registration::unregister);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(create(api, ws, createBody("count-" + i, 200, "it-count", "{}")));
        }

        Poll.until("every task ran three times and both servers took part", DEADLINE, () -> {
            for (String id : ids) {
                if (runs(api, ws, id).size() < 3) {
                    return false;
                }
            }
            return serversOf.getOrDefault("all", Set.of()).size() == 2;
        });
        chat.close();
        daemon.close();

        assertThat(overlaps).isEmpty();
        HeartbeatTasks tasks = context.getService(context.getServiceReference(HeartbeatTasks.class));
        io.heddle.api.workspace.WorkspaceDescriptor descriptor = new io.heddle.api.workspace.WorkspaceDescriptor(
                ws,
                "shared",
                workspace.toString(),
                List.of(),
                workspace.resolve(".heddle").toString(),
                java.time.Instant.EPOCH,
                java.time.Instant.EPOCH);
        for (String id : ids) {
            List<io.heddle.api.heartbeat.HeartbeatRun> history = tasks.runs(descriptor, id);
            Set<Object> slots = new HashSet<>();
            for (io.heddle.api.heartbeat.HeartbeatRun r : history) {
                assertThat(slots.add(r.dueAt()))
                        .as("slot %s of %s ran once, not twice", r.dueAt(), id)
                        .isTrue();
            }
        }
    }

    @Test
    public void corruptTaskFileIsSetAsideAndTheOtherTasksKeepRunning() throws Exception {
        Path workspace = Files.createTempDirectory(HOME, "ws");
        Path tasksDir = Files.createDirectories(workspace.resolve(".heddle/heartbeat/tasks"));
        Path corrupt = tasksDir.resolve("task-corrupt.json");
        Files.writeString(corrupt, "{\"task\": \"cut off in the midd");
        ServerHandle server = start(workspace);
        HeartbeatHttp api = new HeartbeatHttp(server);
        String ws = api.activeWorkspaceId();

        String good = create(api, ws, createBody("good", 200, "command", "{\"argv\": [\"true\"]}"));

        Poll.until("the good task ran", DEADLINE, () -> !runs(api, ws, good).isEmpty());
        assertThat(corrupt).doesNotExist();
        try (Stream<Path> files = Files.list(tasksDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("task-corrupt.json.corrupt-"));
        }
        HeartbeatHttp.Answer list = api.get(tasksPath(ws));
        assertThat(list.status()).isEqualTo(200);
        assertThat(Json.list(list.json().get("tasks"))).hasSize(1);
    }

    @Test
    public void eventStreamClientThatDisconnectsIsFreedAtOnce() throws Exception {
        ServerHandle server = start(Files.createTempDirectory(HOME, "ws"));
        Object servlet = eventStreamServlet();
        Method clients = servlet.getClass().getDeclaredMethod("clientCount");
        clients.setAccessible(true);
        int before = (Integer) clients.invoke(servlet);

        EventStreamReader reader = new EventStreamReader(server.endpointUrl(), null);
        Poll.until("the client is counted", DEADLINE, () -> (Integer) clients.invoke(servlet) == before + 1);
        reader.close();

        // noticed at the next write (keep-alive every 200 ms here), then freed at once
        Poll.until("the client is gone", Duration.ofSeconds(5), () -> (Integer) clients.invoke(servlet) == before);
    }

    /** The /api/events servlet object (its client count is the resource a disconnect must free). */
    private Object eventStreamServlet() throws Exception {
        ServiceReference<?> ref = eventStreamServiceReference();
        if (ref == null) {
            throw new AssertionError("no /api/events servlet registered");
        }
        return context.getService(ref);
    }

    private ServiceReference<?> eventStreamServiceReference() throws Exception {
        ServiceReference<?>[] refs = context.getAllServiceReferences(jakarta.servlet.Servlet.class.getName(), null);
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object pattern = ref.getProperty("osgi.http.whiteboard.servlet.pattern");
            List<String> patterns =
                    pattern instanceof String[] ? List.of((String[]) pattern) : List.of(String.valueOf(pattern));
            if (patterns.contains("/api/events")) {
                return ref;
            }
        }
        return null;
    }
}
