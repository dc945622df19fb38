package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.Poll;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

/**
 * Three daemons as three machines (separate HEDDLE_HOMEs and ports, workspace folders of the same
 * name) sharing one PostgreSQL namespace: each due occurrence runs once, runs never overlap, a
 * killed lease holder's task is recovered by another, and a database outage answers only 503
 * with the cause, loses nothing, and ends with the scheduler running again.
 */
public class SharedTasksE2E {

    private static final String PASSWORD = "e2e-pw-4b9c0a";
    private static final int TASKS = 20;
    private static final long LEASE_MS = 3_000;
    private static final long POLL_MS = 250;

    @ClassRule
    public static final PostgresDatabase DATABASE = new PostgresDatabase("shared", PASSWORD);

    @Rule
    public final HeddleSandboxes sandboxes = new HeddleSandboxes();

    private final List<HeddleSandbox> machines = new ArrayList<>();
    private final List<ServerRecord> servers = new ArrayList<>();
    private final List<HeddleRun> daemons = new ArrayList<>();

    @Test
    public void threeServersRunEachDueOccurrenceOnceRecoverAKilledHolderAndRideOutAnOutage() throws Exception {
        for (int i = 0; i < 3; i++) {
            HeddleSandbox machine = sandboxes.create("shared-" + i);
            PostgresDatabase.configureStore(
                    machine,
                    DATABASE.jdbcUrl(),
                    PASSWORD,
                    "namespace=e2e\nrunners=command\nleaseTtlMs=" + LEASE_MS + "\n");
            Files.writeString(
                    machine.home().resolve("etc").resolve("io.heddle.heartbeat.scheduler.cfg"),
                    "pollIntervalMs=" + POLL_MS + "\nminIntervalMs=1000\nmaxConcurrentTasks=8\nleaseTtlMs=" + LEASE_MS
                            + "\n");
            machines.add(machine);
        }
        for (HeddleSandbox machine : machines) {
            daemons.add(machine.startDaemon("--port", Integer.toString(Sockets.freePort())));
            servers.add(machine.liveRecord().orElseThrow());
        }
        assertThat(machines.get(0).workspace().getFileName())
                .isEqualTo(machines.get(2).workspace().getFileName());
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paths.add(tasksPath(i));
        }

        // the event stream of the third machine: it hears what the others change in the namespace
        List<String> eventsOfThird = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpResponse<java.util.stream.Stream<String>> stream = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(servers.get(2).endpointUrl() + "/api/events"))
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> stream.body().forEach(eventsOfThird::add), "shared-e2e-events");
        reader.setDaemon(true);
        reader.start();
        Poll.until(
                "the event stream is connected", Duration.ofSeconds(10), () -> eventsOfThird.contains(": connected"));

        // 20 tasks due every second, created on the first machine; each run appends a line
        Path effects = machines.get(0).home().resolve("effects.log");
        String tasks = paths.get(0);
        for (int i = 0; i < TASKS; i++) {
            HttpResponse<String> created = call(
                    0,
                    "POST",
                    tasks,
                    "{\"name\":\"t" + i + "\",\"task\":\"append\","
                            + "\"enabled\":true,\"schedule\":{\"intervalMs\":1000},\"runner\":\"command\",\"runnerConfig\":"
                            + "{\"argv\":[\"sh\",\"-c\",\"echo t" + i + " >> " + effects + "\"],\"timeoutMs\":10000}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        for (int m = 0; m < 3; m++) {
            int machine = m;
            Poll.until(
                    "machine " + m + " lists the namespace's 20 tasks",
                    Duration.ofSeconds(20),
                    () -> count(callQuietly(machine, "GET", paths.get(machine)), "\"runner\":\"command\"") == TASKS);
        }
        java.util.function.Supplier<Long> createdSeen = () -> eventsOfThird.stream()
                .filter(l ->
                        l.startsWith("data: ") && l.contains("task/CREATED") && l.contains("\"change\":\"stored\""))
                .count();
        Poll.until(
                "the third machine announces the tasks created through the first",
                Duration.ofSeconds(20),
                () -> createdSeen.get() >= TASKS);
        assertThat(createdSeen.get()).as("each created task announced once").isEqualTo((long) TASKS);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Poll.until("30 s of runs", Duration.ofSeconds(40), () -> System.nanoTime() > until);

        assertThat(DATABASE.server()
                        .sql(
                                "shared",
                                "SELECT count(*) FROM (SELECT task_id, due_at FROM heddle_runs"
                                        + " GROUP BY task_id, due_at HAVING count(*) > 1) twice"))
                .as("occurrences run twice")
                .isEqualTo("0");
        assertThat(DATABASE.server()
                        .sql(
                                "shared",
                                "SELECT count(*) FROM (SELECT started_at, lag(finished_at) OVER"
                                        + " (PARTITION BY task_id ORDER BY started_at) AS previous_end FROM heddle_runs) r"
                                        + " WHERE previous_end > started_at"))
                .as("overlapping runs of a task")
                .isEqualTo("0");
        int runs = Integer.parseInt(
                DATABASE.server().sql("shared", "SELECT count(*) FROM heddle_runs WHERE status = 'finished'"));
        int lines = Files.readAllLines(effects, StandardCharsets.UTF_8).size();
        assertThat(runs).as("finished runs").isGreaterThan(TASKS * 5);
        assertThat(lines)
                .as("side effects, one per finished run (and runs still going)")
                .isBetween(runs, runs + TASKS);
        Set<String> ranOn = new HashSet<>(List.of(DATABASE.server()
                .sql("shared", "SELECT DISTINCT server_id FROM heddle_runs")
                .split("\n")));
        assertThat(ranOn).as("servers that ran tasks").hasSizeGreaterThanOrEqualTo(2);
        assertThat(eventsOfThird)
                .as("runs of the namespace, seen by the third machine as stored task changes")
                .anyMatch(l -> l.startsWith("data: ")
                        && l.contains("task/UPDATED")
                        && l.contains("\"change\":\"stored\"")
                        && l.contains("\"runId\":\"run-"));
        assertThat(eventsOfThird)
                .as("runs of the other machines, announced by the third as finished")
                .anyMatch(l ->
                        l.startsWith("data: ") && l.contains("task/FINISHED") && l.contains("\"change\":\"stored\""));

        // --- the store in use, and the servers sharing it, in health and heddle status ---
        Poll.until("health lists every server that ran tasks", Duration.ofSeconds(20), () -> {
            HttpResponse<String> health = callQuietly(2, "GET", "/api/health");
            return health != null
                    && health.body().contains("\"taskStore\":{\"kind\":\"postgresql\"")
                    && ranOn.stream()
                            .allMatch(id -> health.body().contains("\"serverId\":\"" + id + "\",\"lastClaimAt\""));
        });
        HeddleRun status = machines.get(0).run("status");
        assertThat(status.stdout())
                .as(status.report())
                .contains(
                        "health=ok",
                        "taskStore=postgresql 127.0.0.1:" + DATABASE.server().port()
                                + "/shared namespace e2e (available)")
                .anyMatch(
                        line -> ranOn.stream().anyMatch(id -> line.startsWith("  server " + id + "  lastClaimAt=20")));
        assertThat(String.join("\n", status.stdout())).doesNotContain(PASSWORD);

        // --- kill -9 the holder of a long run: another server recovers it ---
        HttpResponse<String> slow = call(
                0,
                "POST",
                tasks,
                "{\"name\":\"slow\",\"task\":\"hold a lease\","
                        + "\"enabled\":true,\"schedule\":{\"intervalMs\":1000},\"runner\":\"command\",\"runnerConfig\":"
                        + "{\"argv\":[\"sleep\",\"600\"],\"timeoutMs\":900000}}");
        String slowId = TestSupport.jsonString(slow.body(), "id");
        Poll.until(
                "the slow task is leased",
                Duration.ofSeconds(20),
                () -> !sqlQuietly("SELECT server_id FROM heddle_leases WHERE task_id = '" + slowId + "'")
                        .isEmpty());
        String holder =
                DATABASE.server().sql("shared", "SELECT server_id FROM heddle_leases WHERE task_id = '" + slowId + "'");
        int victim = indexOf(holder);
        ProcessHandle victimProcess =
                ProcessHandle.of(servers.get(victim).pid()).orElseThrow();
        long killedAt = System.nanoTime();
        victimProcess.destroyForcibly();
        Poll.until("another server holds the slow task", Duration.ofMillis(LEASE_MS + 10 * POLL_MS + 10_000), () -> {
            String now = sqlQuietly("SELECT server_id FROM heddle_leases WHERE task_id = '" + slowId + "'");
            return !now.isEmpty() && !now.equals(holder);
        });
        long recoveredMs = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        System.out.println("SharedTasksE2E: recovered the killed holder's task after " + recoveredMs + " ms (lease "
                + LEASE_MS + " ms, poll " + POLL_MS + " ms)");
        assertThat(DATABASE.server()
                        .sql(
                                "shared",
                                "SELECT status FROM heddle_runs WHERE task_id = '" + slowId + "' AND server_id = '"
                                        + holder + "'"))
                .isEqualTo("interrupted");
        int survivor = victim == 0 ? 1 : 0;
        call(survivor, "DELETE", paths.get(survivor) + "/" + slowId, null);

        // --- the database stops for 10 s: only 503 with the cause, nothing lost, the scheduler resumes ---
        int before = Integer.parseInt(DATABASE.server().sql("shared", "SELECT count(*) FROM heddle_tasks"));
        DATABASE.server().stop();
        long restartAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Integer> statuses = new ArrayList<>();
        String[] cause = {null};
        Poll.until("10 s of outage", Duration.ofSeconds(30), () -> {
            HttpResponse<String> r = callQuietly(survivor, "GET", paths.get(survivor));
            if (r != null) {
                statuses.add(r.statusCode());
                if (r.statusCode() == 503) {
                    cause[0] = r.body();
                }
            }
            return System.nanoTime() > restartAt;
        });
        HttpResponse<String> health = callQuietly(survivor, "GET", "/api/health");
        DATABASE.server().restart();
        assertThat(health).isNotNull();
        assertThat(health.body())
                .as("health while the database is down")
                .contains("degraded")
                .contains("heartbeat-store-postgres")
                .contains("cannot be reached")
                .doesNotContain(PASSWORD);
        assertThat(statuses)
                .as("answers while the database was down")
                .isNotEmpty()
                .allMatch(s -> s == 503 || s == 200);
        assertThat(cause[0])
                .contains("storage_unavailable")
                .contains("cannot be reached")
                .doesNotContain(PASSWORD);
        String finishedBefore =
                DATABASE.server().sql("shared", "SELECT count(*) FROM heddle_runs WHERE status = 'finished'");
        Poll.until("runs resume after the outage", Duration.ofSeconds(30), () -> {
            String n = sqlQuietly("SELECT count(*) FROM heddle_runs WHERE status = 'finished'");
            return !n.isEmpty() && Integer.parseInt(n) > Integer.parseInt(finishedBefore) + TASKS;
        });
        assertThat(Integer.parseInt(DATABASE.server().sql("shared", "SELECT count(*) FROM heddle_tasks")))
                .isEqualTo(before);
        // a run whose lease lapsed during the outage (or on the killed server) may run again once
        // recovered: never two applied results for one occurrence
        assertThat(
                        DATABASE.server()
                                .sql(
                                        "shared",
                                        "SELECT count(*) FROM (SELECT task_id, due_at FROM heddle_runs"
                                                + " WHERE status IN ('finished', 'failed') GROUP BY task_id, due_at HAVING count(*) > 1) twice"))
                .as("occurrences with two applied results")
                .isEqualTo("0");
        for (HeddleSandbox machine : machines) {
            for (Path log : machine.logFiles()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(PASSWORD);
            }
        }
    }

    private int indexOf(String serverId) {
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).serverId().equals(serverId)) {
                return i;
            }
        }
        throw new AssertionError("no daemon " + serverId + " among " + servers);
    }

    private String tasksPath(int machine) throws Exception {
        String workspaceId = TestSupport.jsonString(
                call(machine, "GET", "/api/workspaces", null).body(), "activeWorkspaceId");
        return "/api/workspaces/" + workspaceId + "/heartbeat/tasks";
    }

    private static int count(HttpResponse<String> r, String needle) {
        if (r == null || r.statusCode() != 200) {
            return -1;
        }
        return r.body().split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }

    private static String sqlQuietly(String sql) {
        try {
            return DATABASE.server().sql("shared", sql);
        } catch (Exception e) {
            return "";
        }
    }

    private HttpResponse<String> callQuietly(int machine, String method, String path) {
        try {
            return call(machine, method, path, null);
        } catch (Exception e) {
            return null;
        }
    }

    private HttpResponse<String> call(int machine, String method, String path, String body) throws Exception {
        return machines.get(machine).callUnchecked(servers.get(machine), method, path, body, Duration.ofSeconds(10));
    }
}
