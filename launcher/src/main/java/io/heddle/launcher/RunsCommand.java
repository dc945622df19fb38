package io.heddle.launcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heddle runs TASK}: a task's run history, newest first. */
@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = "Lists a task's runs, newest first: run id, status, decision, start, summary. Show one with:"
                + " heddle run show TASK RUN",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failure (no such task, the server refused or did not answer)",
            "2:usage error",
            "3:no server is running"
        })
final class RunsCommand extends WorkspaceScopedCommand {

    @Parameters(index = "0", paramLabel = "TASK", description = "The task's id or name.")
    String task;

    @Option(
            names = {"-n", "--limit"},
            paramLabel = "N",
            defaultValue = "20",
            converter = CountConverter.class,
            description = "Show at most N runs (default: ${DEFAULT-VALUE}).")
    int limit;

    RunsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(ApiClient api) {
        String heartbeat = heartbeatPath(api);
        Map<String, Object> found = TaskCommand.find(api, heartbeat, task);
        List<Object> runs = ApiClient.list(
                api.get(TaskCommand.taskPath(heartbeat, found) + "/runs").get("runs"));
        List<Object> shown = new ArrayList<>(runs.subList(0, Math.min(limit, runs.size())));
        if (json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("runs", shown);
            printJson(answer);
            return Heddle.OK;
        }
        if (shown.isEmpty()) {
            terminal.line("Task " + TaskCommand.label(found) + " has not run yet. Run it now with: heddle task run "
                    + found.get("id"));
            return Heddle.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN", "STATUS", "DECISION", "STARTED", "SUMMARY"});
        for (Object o : shown) {
            Map<String, Object> r = ApiClient.object(o);
            rows.add(new String[] {
                ApiClient.text(r, "id", ""),
                ApiClient.text(r, "status", ""),
                ApiClient.text(r, "decision", "-"),
                ApiClient.text(r, "startedAt", "-"),
                ApiClient.text(r, "summary", "")
            });
        }
        Table.print(terminal, rows);
        return Heddle.OK;
    }
}
