package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.After;
import org.junit.Test;

/**
 * {@code heddle task export} and {@code heddle task import} with the real distribution: a
 * workspace's tasks go to a file and come back exactly; an id that exists is refused with
 * nothing stored, unless {@code --rename}; the file is kept; a file that is not JSON is a usage
 * error in one line.
 */
public class TaskExportImportE2E {

    private final HeddleSandbox sandbox = new HeddleSandbox("export");

    @After
    public void cleanUp() {
        sandbox.close();
    }

    private HeddleRun heddle(String... args) throws Exception {
        return sandbox.run(args);
    }

    private static List<String> ok(HeddleRun run) {
        assertThat(run.process().exitValue()).as(run.report()).isZero();
        assertThat(run.stderr()).as(run.report()).isEmpty();
        return run.stdout();
    }

    @SuppressWarnings("unchecked")
    private int taskCount() throws Exception {
        List<String> out = ok(heddle("task", "list", "--json"));
        Map<String, Object> answer =
                (Map<String, Object>) JsonTree.parse(out.get(0).getBytes(StandardCharsets.UTF_8));
        assertThat(answer).containsEntry("store", "file").containsEntry("fileTasksWaiting", 0L);
        return ((List<Object>) answer.get("tasks")).size();
    }

    @Test
    public void tasksExportedAndImportedComeBackExactlyAndAnExistingIdIsRefusedUnlessRenamed() throws Exception {
        sandbox.startDaemon("--port", "0");
        ok(heddle("task", "add", "--every", "1h", "--name", "one", "The first", "--", "true"));
        ok(heddle(
                "task",
                "add",
                "--every",
                "2h",
                "--name",
                "two",
                "--disabled",
                "The second",
                "--",
                "sh",
                "-c",
                "echo hi"));
        Path file = sandbox.home().resolve("tasks.json");

        assertThat(ok(heddle("task", "export", "-o", file.toString())))
                .containsExactly("Exported 2 task(s) from the task store in use to " + file + ".");
        String exported = Files.readString(file);
        assertThat(exported).contains("\"format\"", "heddle-tasks", "The first", "The second");
        assertThat(String.join("\n", ok(heddle("task", "export")))).isEqualTo(exported.stripTrailing());

        HeddleRun refused = heddle("task", "import", file.toString());
        assertThat(refused.process().exitValue()).as(refused.report()).isEqualTo(1);
        assertThat(refused.stderr()).as(refused.report()).hasSize(1);
        assertThat(refused.stderr().get(0))
                .startsWith("heddle: ")
                .contains("exist already", "nothing was imported", "--rename");
        assertThat(taskCount()).isEqualTo(2);

        ok(heddle("task", "rm", "one"));
        ok(heddle("task", "rm", "two"));
        assertThat(taskCount()).isZero();
        List<String> imported = ok(heddle("task", "import", file.toString()));
        assertThat(imported.get(0)).isEqualTo("Imported 2 task(s) into the task store in use.");
        Path again = sandbox.home().resolve("again.json");
        ok(heddle("task", "export", "--output", again.toString()));
        assertThat(Files.readString(again)).as("the round trip").isEqualTo(exported);

        List<String> renamed = ok(heddle("task", "import", "--rename", file.toString()));
        assertThat(renamed).hasSize(3).element(1).asString().contains("(renamed from ");
        assertThat(taskCount()).isEqualTo(4);
        assertThat(Files.readString(file)).as("the file is kept").isEqualTo(exported);

        Path notJson = Files.writeString(sandbox.home().resolve("notes.txt"), "not json");
        HeddleRun bad = heddle("task", "import", notJson.toString());
        assertThat(bad.process().exitValue()).as(bad.report()).isEqualTo(2);
        assertThat(bad.stderr().stream().filter(l -> l.startsWith("heddle")))
                .as(bad.report())
                .singleElement()
                .asString()
                .contains("is not JSON", "heddle task export");
        assertThat(taskCount()).isEqualTo(4);
    }
}
