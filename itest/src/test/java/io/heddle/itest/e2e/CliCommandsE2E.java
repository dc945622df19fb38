package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.support.Poll;
import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Test;

/**
 * The commands that reach the live server's API ({@code task}, {@code runs}, {@code run show},
 * {@code workspace}, {@code ext}, {@code logs}, {@code events}) and the shell completion script,
 * run as the real distribution: the happy paths with one daemon, {@code --json} parsed, exit 3
 * with nothing running, exit 2 with one line for a bad argument.
 */
public class CliCommandsE2E {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private final HeddleSandbox sandbox = new HeddleSandbox("cli");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    private HeddleRun heddle(String... args) throws Exception {
        return sandbox.run(args);
    }

    private static int exit(HeddleRun run) {
        return run.process().exitValue();
    }

    /** Exit 0 with nothing on stderr; answers stdout. */
    private static List<String> ok(HeddleRun run) {
        assertThat(exit(run)).as(run.report()).isZero();
        assertThat(run.stderr()).as(run.report()).isEmpty();
        return run.stdout();
    }

    /** One line of JSON on stdout, parsed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HeddleRun run) throws IOException {
        List<String> out = ok(run);
        assertThat(out).as(run.report()).hasSize(1);
        return (Map<String, Object>) JsonTree.parse(out.get(0).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    /** Exit 1 with exactly one stderr line, the failure's, starting {@code heddle: }. */
    private static String failure(HeddleRun run) {
        assertThat(exit(run)).as(run.report()).isEqualTo(1);
        assertThat(run.stderr()).as(run.report()).hasSize(1);
        assertThat(run.stderr().get(0)).startsWith("heddle: ");
        return run.stderr().get(0);
    }

    /** The stderr lines that are problems (not the usage text that follows a usage error). */
    private static List<String> problems(HeddleRun run) {
        return run.stderr().stream().filter(l -> l.startsWith("heddle")).collect(Collectors.toList());
    }

    @Test
    public void everyCommandGroupExitsThreeWithNothingRunningAndTwoWithOneLineForABadArgument() throws Exception {
        String[][] nothingRunning = {
            {"task", "add", "--every", "5m", "x", "--", "true"},
            {"runs", "t"},
            {"run", "show", "t", "last"},
            {"workspace", "use", "w"},
            {"ext", "list"},
            {"logs"},
            {"events"}
        };
        for (String[] args : nothingRunning) {
            HeddleRun run = heddle(args);
            assertThat(exit(run)).as(run.report()).isEqualTo(3);
            assertThat(run.stdout()).as(run.report()).isEmpty();
            assertThat(run.stderr())
                    .as(run.report())
                    .containsExactly("heddle: No Heddle server is running. Start one with: heddle daemon");
        }

        String[][] badArguments = {
            {"task", "add", "--every", "5", "x", "--", "true"},
            {"task", "edit", "t"},
            {"task", "frobnicate"},
            {"runs", "t", "--limit", "abc"},
            {"run", "show", "t", "a/b"},
            {"workspace", "rename", "w", ""},
            {"ext", "install", "notes.txt"},
            {"logs", "-n", "0"},
            {"events", "--topic", "a b"}
        };
        for (String[] args : badArguments) {
            HeddleRun run = heddle(args);
            assertThat(exit(run)).as(run.report()).isEqualTo(2);
            assertThat(problems(run)).as(run.report()).hasSize(1);
            assertThat(problems(run).get(0)).startsWith("heddle " + args[0]);
        }
        HeddleRun duration = heddle("task", "add", "--every", "5", "x", "--", "true");
        assertThat(problems(duration))
                .containsExactly("heddle task add: Invalid value for option '--every': '5' is not a"
                        + " duration. Give a whole number with a unit: 500ms, 30s, 5m, 2h or 1d.");

        // completion: generated at build time, shipped, and completes commands without a server
        assertThat(complete("heddle ta")).containsExactly("task");
        assertThat(complete("heddle task "))
                .contains("list", "show", "add", "edit", "enable", "disable", "run", "resume", "rm");
        assertThat(complete("heddle workspace u")).containsExactly("use");
        assertThat(complete(HeddleSandbox.executable() + " task show "))
                .as("nothing running: no candidates")
                .isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    public void theCommandsReachTheLiveServer() throws Exception {
        sandbox.startDaemon("--port", "0");

        // workspace
        Map<String, Object> catalog = json(heddle("workspace", "list", "--json"));
        assertThat(list(catalog.get("workspaces"))).hasSize(1);
        String wsId = (String) catalog.get("activeWorkspaceId");
        assertThat(ok(heddle("workspace", "list")))
                .anySatisfy(l -> assertThat(l).startsWith("*").contains(wsId));
        Path other = Files.createDirectories(sandbox.home().resolve("other"));
        Map<String, Object> added = json(heddle("workspace", "add", other.toString(), "--name", "other", "--json"));
        String otherId = (String) added.get("id");
        assertThat(added.get("workspaceRoot")).isEqualTo(other.toRealPath().toString());
        assertThat(ok(heddle("workspace", "rename", "other", "second")))
                .containsExactly("Workspace second (" + otherId + ", " + other.toRealPath() + ") renamed.");
        assertThat(json(heddle("workspace", "use", "second", "--json")).get("activeWorkspaceId"))
                .isEqualTo(otherId);
        // the task store key: set in the catalog entry, shown, cleared
        assertThat(ok(heddle("workspace", "key", "second", "github.com/me/app")))
                .containsExactly("Workspace second (" + otherId + ", " + other.toRealPath()
                        + "): its task store key is github.com/me/app.");
        assertThat(Files.readString(sandbox.workspace().resolve(".heddle").resolve("workspaces.catalog.json")))
                .contains("\"workspaceKey\" : \"github.com/me/app\"");
        assertThat(json(heddle("workspace", "key", "second", "--clear", "--json")))
                .doesNotContainKey("workspaceKey");
        HeddleRun neither = heddle("workspace", "key", "second");
        assertThat(exit(neither)).as(neither.report()).isEqualTo(2);
        assertThat(problems(neither))
                .containsExactly("heddle workspace key: Give either a KEY or --clear. See the"
                        + " usage of 'heddle workspace key' below.");
        assertThat(failure(heddle("workspace", "use", "nowhere"))).contains("knows no workspace 'nowhere'");

        // task: the workspace is the one containing the current folder (the sandbox's), not the active one
        HeddleRun add = heddle(
                "task",
                "add",
                "--every",
                "1h",
                "--name",
                "greet",
                "--json",
                "Say hello",
                "--",
                "sh",
                "-c",
                "echo hello from the task; echo to stderr >&2");
        Map<String, Object> task = json(add);
        String taskId = (String) task.get("id");
        assertThat(task.get("runner")).isEqualTo("command");
        assertThat(sandbox.workspace().resolve(".heddle")).isDirectory();
        assertThat(json(heddle("task", "list", "--json")).get("tasks").toString())
                .contains(taskId);
        assertThat(json(heddle("task", "list", "--json", "--workspace", "second"))
                        .get("tasks")
                        .toString())
                .isEqualTo("[]");
        assertThat(ok(heddle("task", "list")))
                .hasSize(2)
                .last()
                .satisfies(l -> assertThat(l)
                        .startsWith(taskId)
                        .contains("idle")
                        .contains("1h")
                        .endsWith("greet"));
        assertThat(ok(heddle("task", "show", "greet"))).contains("id=" + taskId, "task=Say hello", "every=1h");
        assertThat(ok(heddle("task", "edit", taskId, "--every", "2h")))
                .containsExactly("Task " + taskId + " (greet) changed.");
        assertThat(json(heddle("task", "disable", "greet", "--json")).get("enabled"))
                .isEqualTo(false);
        assertThat(failure(heddle("task", "run", "greet")))
                .as("the server's 409, as one line")
                .contains("disabled");
        assertThat(json(heddle("task", "enable", "greet", "--json")).get("enabled"))
                .isEqualTo(true);
        assertThat(failure(heddle("task", "add", "--every", "10ms", "x", "--", "true")))
                .as("the server's 400 message")
                .contains("intervalMs");

        // events: a stream that prints the task's events as lines; subscribed once an edit shows in it
        HeddleRun events = sandbox.start("events", "--topic", "heartbeat.task", "--json");
        Poll.until("the event stream shows a task change", DEADLINE, () -> {
            try {
                ok(heddle("task", "enable", "greet"));
                return events.awaitLine(l -> l.contains("\"change\":\"edited\""), Duration.ofSeconds(2))
                        .isPresent();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(ok(heddle("task", "run", "greet")))
                .singleElement()
                .asString()
                .startsWith("Task " + taskId);

        // runs, run show
        Poll.until("the run finished", DEADLINE, () -> {
            try {
                return json(heddle("runs", taskId, "--json"))
                        .get("runs")
                        .toString()
                        .contains("status=finished");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<Map<String, Object>> runs =
                list(json(heddle("runs", "greet", "--limit", "1", "--json")).get("runs"));
        assertThat(runs).hasSize(1);
        String runId = (String) runs.get(0).get("id");
        assertThat(ok(heddle("runs", "greet")))
                .hasSize(2)
                .last()
                .asString()
                .startsWith(runId)
                .contains("finished");
        List<String> shown = ok(heddle("run", "show", "greet", runId));
        assertThat(shown)
                .contains(
                        "id=" + runId,
                        "status=finished",
                        "decision=continue",
                        "--- stdout ---",
                        "hello from the task",
                        "--- stderr ---",
                        "to stderr");
        assertThat(json(heddle("run", "show", taskId, "last", "--json")).get("id"))
                .isEqualTo(runId);
        assertThat(failure(heddle("run", "show", "greet", "run-nope"))).contains("run-nope");

        // the event stream saw the run, and nothing but task events
        assertThat(events.awaitLine(
                        l -> l.contains("\"topic\":\"io/heddle/heartbeat/task/FINISHED\"") && l.contains(taskId),
                        DEADLINE))
                .as(events.report())
                .isPresent();
        for (String line : events.stdout()) {
            Map<String, Object> event = (Map<String, Object>) JsonTree.parse(line.getBytes(StandardCharsets.UTF_8));
            assertThat((String) event.get("topic")).startsWith("io/heddle/heartbeat/task/");
        }
        events.destroy();
        assertThat(failure(heddle("task", "resume", "greet")))
                .as("resuming an idle task: the server's 409")
                .contains(taskId);

        // logs
        List<String> log = ok(heddle("logs", "-n", "3"));
        assertThat(log).hasSizeLessThanOrEqualTo(3).isNotEmpty();
        Map<String, Object> logJson = json(heddle("logs", "-n", "2", "--json"));
        assertThat((String) logJson.get("file")).endsWith("/.heddle/logs/server.log");
        assertThat((List<?>) logJson.get("lines")).hasSizeBetween(1, 2);

        // ext: install, list, a broken jar, rm
        Path hello =
                Path.of(System.getProperty("heddle.exampleExtension", "target/test-extensions/extension-hello.jar"));
        Path extensions = sandbox.home().resolve("extensions");
        assertThat(ok(heddle("ext", "install", hello.toString())))
                .first()
                .asString()
                .startsWith("Extension extension-hello.jar installed: io.heddle.examples.extension-hello ")
                .endsWith(", ACTIVE");
        Map<String, Object> installed = json(heddle("ext", "list", "--json"));
        assertThat(list(installed.get("extensions")))
                .singleElement()
                .satisfies(e -> assertThat(e.get("state")).isEqualTo("ACTIVE"));
        Path broken = sandbox.home().resolve("broken.jar");
        Files.write(broken, "this is not a zip file".getBytes(StandardCharsets.UTF_8));
        String problem = failure(heddle("ext", "install", broken.toString()));
        assertThat(problem)
                .startsWith("heddle: broken.jar could not be installed: invalid_jar: ")
                .contains("It was removed from ");
        assertThat(folderNames(extensions))
                .as("no half-written or temporary file")
                .containsExactly("extension-hello.jar");
        assertThat(ok(heddle("ext", "rm", "extension-hello")))
                .containsExactly("Extension extension-hello.jar removed.");
        assertThat(list(json(heddle("ext", "list", "--json")).get("extensions")))
                .isEmpty();
        assertThat(folderNames(extensions)).isEmpty();

        // completion asks the live server for task ids and workspace names
        assertThat(complete(HeddleSandbox.executable() + " task show ")).contains(taskId, "greet");
        assertThat(complete(HeddleSandbox.executable() + " workspace use s")).containsExactly("second");

        assertThat(ok(heddle("task", "rm", "greet"))).containsExactly("Task " + taskId + " (greet) removed.");
        assertThat(json(heddle("task", "list", "--json")).get("tasks").toString())
                .isEqualTo("[]");
    }

    private static List<String> folderNames(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /**
     * What the shipped completion script offers for {@code line} (the cursor at its end), asked in a
     * bash subprocess through the function it registers for {@code heddle}.
     */
    private List<String> complete(String line) throws Exception {
        Path script = HeddleSandbox.distribution().resolve("completion").resolve("heddle.bash");
        assertThat(script).isRegularFile();
        String program = "source '" + script + "'\n"
                + "line=$1\n"
                + "read -r -a COMP_WORDS <<< \"$line\"\n"
                + "if [[ $line == *' ' ]]; then COMP_WORDS+=(''); fi\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_LINE=$line; COMP_POINT=${#line}\n"
                + "fn=$(complete -p heddle | sed -E 's/.* -F ([^ ]+) .*/\\1/')\n"
                + "$fn heddle \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        HeddleRun bash = sandbox.startRaw(List.of("bash", "-c", program, "bash", line));
        assertThat(bash.awaitExit(DEADLINE)).as(bash.report()).isZero();
        List<String> words = new ArrayList<>(bash.stdout());
        words.removeIf(String::isEmpty);
        return words;
    }
}
