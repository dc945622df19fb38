package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

/**
 * The real distribution on the reference's files, on stale temp files, and on a full disk.
 */
public class StorageE2E {

    /** A pid no process has: above the largest pid Linux hands out (2^22). */
    private static final long DEAD_PID = 4_194_304L + 4242L;

    private final HeddleSandbox sandbox = new HeddleSandbox("storage");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path mounted;

    @After
    public void cleanUp() throws Exception {
        try {
            sandbox.close();
        } finally {
            if (mounted != null) {
                new ProcessBuilder("umount", "-l", mounted.toString())
                        .inheritIO()
                        .start()
                        .waitFor();
            }
        }
    }

    private HttpResponse<String> call(ServerRecord server, String method, String path, String body) throws Exception {
        return sandbox.call(server, method, path, body, Duration.ofSeconds(20));
    }

    private String get(ServerRecord server, String path) {
        try {
            return call(server, "GET", path, null).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void aReferenceWorkspaceKeepsItsTaskFileAndItsOneWorkspace() throws Exception {
        Path state = sandbox.workspace().resolve(".heddle");
        Path tasks = Files.createDirectories(state.resolve("heartbeat").resolve("tasks"));
        String taskJson = "{\n  \"id\": \"hb-ref\",\n  \"name\": \"Triage\",\n"
                + "  \"task\": \"Triage the new issues\",\n  \"enabled\": true,\n  \"continuationMode\": \"agent\",\n"
                + "  \"schedule\": {\"intervalMs\": 60000, \"nextRunAt\": \"2026-01-01T00:00:00.000Z\"},\n"
                + "  \"state\": {\"status\": \"idle\", \"updatedAt\": \"2026-01-01T00:00:00.000Z\"},\n"
                + "  \"model\": \"gpt-4.1\", \"maxSteps\": 12, \"checkpoint\": {\"step\": 2}\n}\n";
        Path taskFile = Files.writeString(tasks.resolve("hb-ref.json"), taskJson);
        Files.writeString(
                state.resolve("workspaces.catalog.json"),
                "{\"version\": 1, \"activeWorkspaceId\": "
                        + "\"workspace-1a2b\", \"workspaces\": [{\"id\": \"workspace-1a2b\", \"name\": \"reference\", "
                        + "\"workspaceRoot\": \"" + sandbox.workspace() + "\", \"repoRoots\": [\"" + sandbox.workspace()
                        + "\"], "
                        + "\"stateRoot\": \"" + state + "\", \"createdAt\": \"2026-01-01T00:00:00.000Z\", "
                        + "\"updatedAt\": \"2026-01-01T00:00:00.000Z\"}]}\n");
        byte[] seeded = Files.readAllBytes(taskFile);

        sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        ServerRecord server = sandbox.liveRecord().orElseThrow();

        String workspaces = get(server, "/api/workspaces");
        assertThat(TestSupport.jsonString(workspaces, "activeWorkspaceId")).isEqualTo("workspace-1a2b");
        assertThat(workspaces.split("\"workspaceRoot\":", -1)).as(workspaces).hasSize(2 + 1); // catalog + known entry
        assertThat(workspaces).doesNotContain("\"id\":\"ws-");
        String listed = get(server, "/api/workspaces/workspace-1a2b/heartbeat/tasks");
        assertThat(listed)
                .contains(
                        "\"id\":\"hb-ref\"",
                        "\"runner\":\"agent\"",
                        "\"task\":\"Triage the new issues\"",
                        "\"status\":\"waiting\"",
                        "\"needs\":\"runner\"",
                        "\"model\":\"gpt-4.1\"");
        // the scheduler looked at the (long due) task: it said so, and wrote nothing
        Poll.until(
                "the scheduler announced the task waits for its runner",
                Duration.ofSeconds(30),
                () -> logMentions("hb-ref") || !Files.exists(taskFile));

        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        assertThat(Files.readAllBytes(taskFile)).isEqualTo(seeded);
        assertThat(names(tasks)).containsExactly("hb-ref.json");
        String catalog = Files.readString(state.resolve("workspaces.catalog.json"));
        assertThat(catalog).contains("workspace-1a2b").doesNotContain("\"ws-");
    }

    /** The daemon's log file mentions {@code text} (the waiting task is logged once). */
    private boolean logMentions(String text) {
        try (Stream<Path> files =
                Files.walk(sandbox.workspace().resolve(".heddle").resolve("logs"))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(p).contains("heartbeat task " + text)) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Test
    public void staleTempFilesAreGoneAfterARestart() throws Exception {
        sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        Path state = sandbox.workspace().resolve(".heddle");
        Path tasks = Files.createDirectories(state.resolve("heartbeat").resolve("tasks"));
        List<Path> stale = List.of(
                Files.writeString(tasks.resolve(".task-1.json.tmp-" + DEAD_PID + "-a1"), "{"),
                Files.writeString(state.resolve(".workspaces.catalog.json.tmp-" + DEAD_PID + "-b2"), "{"),
                Files.writeString(sandbox.home().resolve(".daemon-registry.json.tmp-" + DEAD_PID + "-c3"), "{"));
        // a temp file this (live) test process is writing is not stale
        Path live = Files.writeString(
                tasks.resolve(".task-2.json.tmp-" + ProcessHandle.current().pid() + "-d4"), "{");

        sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));

        Poll.until(
                "the stale temp files are removed",
                Duration.ofSeconds(30),
                () -> stale.stream().noneMatch(Files::exists));
        assertThat(live).exists();
    }

    @Test
    public void aFullDiskAnswers503NeverA500AndHealthSaysDegradedUntilSpaceIsFreed() throws Exception {
        mounted = sandbox.home();
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mounted.toString())
                .redirectErrorStream(true)
                .start();
        String mountOutput = new String(mount.getInputStream().readAllBytes());
        if (mount.waitFor() != 0) {
            mounted = null;
            Assume.assumeTrue("mounting a tmpfs is not permitted here: " + mountOutput, false);
        }
        Files.createDirectories(sandbox.workspace());
        Path other = Files.createDirectories(mounted.resolve("other-folder"));
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(Sockets.freePort()));
        ServerRecord server = sandbox.liveRecord().orElseThrow();
        String ws = TestSupport.jsonString(get(server, "/api/workspaces"), "activeWorkspaceId");
        String tasks = "/api/workspaces/" + ws + "/heartbeat/tasks";
        HttpResponse<String> created = call(
                server,
                "POST",
                tasks,
                "{\"task\":\"t\",\"schedule\":{\"intervalMs\":3600000},"
                        + "\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"true\"]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String task = tasks + "/" + TestSupport.jsonString(created.body(), "id");
        HttpResponse<String> everySecond = call(
                server,
                "POST",
                tasks,
                "{\"task\":\"tick\",\"schedule\":{\"intervalMs\":1000},"
                        + "\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"true\"]}}");
        assertThat(everySecond.statusCode()).as(everySecond.body()).isEqualTo(201);
        String ticking = tasks + "/" + TestSupport.jsonString(everySecond.body(), "id");
        assertThat(TestSupport.jsonString(get(server, "/api/health"), "status")).isEqualTo("ok");

        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> stream = http.send(
                HttpRequest.newBuilder(URI.create(server.endpointUrl() + "/api/events"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> stream.body().forEach(events::add), "storage-e2e-events");
        reader.setDaemon(true);
        reader.start();
        Poll.until("the event stream is connected", Duration.ofSeconds(10), () -> events.contains(": connected"));

        Path filler = mounted.resolve("filler");
        fill(filler);

        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        answers.put("PATCH workspace", call(server, "PATCH", "/api/workspaces/" + ws, "{\"name\":\"renamed\"}"));
        answers.put("PUT active", call(server, "PUT", "/api/workspaces/active", "{\"workspaceId\":\"" + ws + "\"}"));
        answers.put("POST workspace", call(server, "POST", "/api/workspaces", "{\"workspaceRoot\":\"" + other + "\"}"));
        answers.put(
                "POST task",
                call(
                        server,
                        "POST",
                        tasks,
                        "{\"task\":\"u\",\"schedule\":{\"intervalMs\":3600000},"
                                + "\"runner\":\"command\",\"runnerConfig\":{\"argv\":[\"true\"]}}"));
        answers.put("PATCH task", call(server, "PATCH", task, "{\"name\":\"n\"}"));
        answers.put("POST run", call(server, "POST", task + "/run", null));
        List<String> problems = new ArrayList<>();
        answers.forEach((what, answer) -> {
            if (answer.statusCode() != 503
                    || !answer.body().contains("\"code\":\"storage_unavailable\"")
                    || !answer.body().contains("No space left on device")) {
                problems.add(what + " -> " + answer.statusCode() + " " + answer.body());
            }
        });
        assertThat(problems).isEmpty();
        HttpResponse<String> resume = call(server, "POST", task + "/resume", null);
        assertThat(resume.statusCode()).as(resume.body()).isNotEqualTo(500);

        String degraded = get(server, "/api/health");
        assertThat(degraded).contains("\"status\":\"degraded\"", "No space left on device", "\"reasons\":[");

        // the task due every second came due while the disk was full: its run could not be recorded
        String tickingId = TestSupport.jsonString(everySecond.body(), "id");
        Poll.until(
                "an event says the ticking task's run could not be recorded",
                Duration.ofSeconds(30),
                () -> events.stream()
                        .anyMatch(l -> l.startsWith("data: ")
                                && l.contains("task/STORE_FAILED")
                                && l.contains(tickingId)
                                && l.contains("No space left on device")));

        Files.delete(filler);
        Poll.until(
                "health says ok once space is freed",
                Duration.ofSeconds(30),
                () -> get(server, "/api/health").contains("\"status\":\"ok\""));
        Poll.until(
                "the task shows why it did not run, once that can be written",
                Duration.ofSeconds(30),
                () -> get(server, ticking).contains("\"lastError\":{\"at\":"));
        assertThat(get(server, ticking)).contains("No space left on device");
        assertThat(call(server, "PATCH", "/api/workspaces/" + ws, "{\"name\":\"renamed\"}")
                        .statusCode())
                .isEqualTo(200);

        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE);
        List<String> terminal = new ArrayList<>(daemon.stdout());
        terminal.addAll(daemon.stderr());
        assertThat(terminal)
                .as("the daemon's terminal")
                .noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception:"));
    }

    /** Writes until the file system is full. */
    private static void fill(Path filler) {
        byte[] chunk = new byte[256 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
        // the last partial chunk may have left a few bytes: fill those too
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(0);
                out.flush();
            }
        } catch (IOException full) {
            // full to the byte
        }
    }
}
