package io.heddle.launcher;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heddle run show TASK RUN}: one run and its output. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Shows one run of a task (heddle runs TASK lists them).",
        commandListHeading = "%nCommands:%n",
        subcommands = RunCommand.Show.class)
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    RunCommand(Terminal terminal) {}

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "No run command given. Use: heddle run show TASK RUN");
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = {
                "Prints one run: its facts as key=value lines, then its output (the command runner's"
                        + " stdout and stderr, the agent runner's reply).",
                "RUN may be 'last' for the newest run."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:done",
                "1:failure (no such task or run, the server refused or did not answer)",
                "2:usage error",
                "3:no server is running"
            })
    static final class Show extends WorkspaceScopedCommand {

        @Parameters(index = "0", paramLabel = "TASK", description = "The task's id or name.")
        String task;

        @Parameters(index = "1", paramLabel = "RUN", description = "The run's id (see heddle runs TASK), or last.")
        String run;

        Show(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            super.check();
            if (!run.equals("last") && !run.matches("[A-Za-z0-9._-]{1,128}")) {
                throw usage("'" + run + "' is not a run id. Give one from 'heddle runs TASK', or last");
            }
        }

        @Override
        int run(ApiClient api) {
            String heartbeat = heartbeatPath(api);
            Map<String, Object> found = TaskCommand.find(api, heartbeat, task);
            String taskPath = TaskCommand.taskPath(heartbeat, found);
            String runId = run;
            if (run.equals("last")) {
                java.util.List<Object> runs =
                        ApiClient.list(api.get(taskPath + "/runs").get("runs"));
                if (runs.isEmpty()) {
                    throw CommandFailure.runtime("Task " + TaskCommand.label(found) + " has not run yet. Run it now"
                            + " with: heddle task run " + found.get("id"));
                }
                runId = ApiClient.text(ApiClient.object(runs.get(0)), "id", "");
            }
            Map<String, Object> r = api.get(taskPath + "/runs/" + ApiClient.segment(runId));
            return replyWith(r, () -> printRun(r));
        }

        /** The run's facts as {@code key=value} lines, then its output. */
        private void printRun(Map<String, Object> r) {
            for (String key : new String[] {
                "id", "taskId", "runner", "trigger", "status", "decision", "startedAt", "finishedAt", "summary", "error"
            }) {
                terminal.line(key + "=" + ApiClient.text(r, key, ""));
            }
            Map<String, Object> details = ApiClient.object(r.get("details"));
            printOutput("output", details.get("output"));
            printOutput("stdout", details.get("stdoutTail"));
            printOutput("stderr", details.get("stderrTail"));
        }

        private void printOutput(String what, Object text) {
            if (!(text instanceof String) || ((String) text).isEmpty()) {
                return;
            }
            terminal.line("--- " + what + " ---");
            String s = (String) text;
            terminal.out().print(s.endsWith("\n") ? s : s + "\n");
            terminal.out().flush();
        }
    }
}
