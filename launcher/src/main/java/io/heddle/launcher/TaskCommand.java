package io.heddle.launcher;

import io.heddle.storage.internal.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code heddle task ...}: the heartbeat tasks of a workspace of the live server
 * ({@code /api/workspaces/{id}/heartbeat/tasks}). A task is named by its id or its name.
 *
 * {@code task export} and {@code task import} move a workspace's tasks between its files and a
 * shared store ({@code /api/workspaces/{id}/heartbeat/export} and {@code .../import}).
 */
@Command(
        name = "task",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Lists, shows, adds, changes, runs, resumes, removes, exports and imports the heartbeat tasks"
                + " of a workspace of the running server.",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            TaskCommand.ListTasks.class,
            TaskCommand.Show.class,
            TaskCommand.Add.class,
            TaskCommand.Edit.class,
            TaskCommand.Enable.class,
            TaskCommand.Disable.class,
            TaskCommand.RunNow.class,
            TaskCommand.Resume.class,
            TaskCommand.Remove.class,
            TaskCommand.Export.class,
            TaskCommand.Import.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failure (the server refused, or did not answer)",
            "2:usage error",
            "3:no server is running"
        })
final class TaskCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    TaskCommand(Terminal terminal) {}

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "No task command given. Pick one of the commands below");
    }

    // --- shared ---

    /** The task {@code ref} names (its id, else its name when one task has it); exit 1 when none. */
    static Map<String, Object> find(ApiClient api, String heartbeat, String ref) {
        List<Map<String, Object>> tasks = tasks(api, heartbeat);
        for (Map<String, Object> t : tasks) {
            if (ref.equals(t.get("id"))) {
                return t;
            }
        }
        List<Map<String, Object>> named = new ArrayList<>();
        for (Map<String, Object> t : tasks) {
            if (ref.equals(t.get("name"))) {
                named.add(t);
            }
        }
        if (named.size() == 1) {
            return named.get(0);
        }
        if (named.size() > 1) {
            throw CommandFailure.runtime(named.size() + " tasks are named '" + ref + "'. Name the task by its id"
                    + " (see heddle task list).");
        }
        throw CommandFailure.runtime("No task '" + ref + "' in this workspace (by id or name). See the tasks with"
                + " 'heddle task list', or pass --workspace.");
    }

    static List<Map<String, Object>> tasks(ApiClient api, String heartbeat) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object t : ApiClient.list(api.get(heartbeat + "/tasks").get("tasks"))) {
            all.add(ApiClient.object(t));
        }
        return all;
    }

    static String taskPath(String heartbeat, Map<String, Object> task) {
        return heartbeat + "/tasks/" + ApiClient.segment(ApiClient.text(task, "id", ""));
    }

    static Map<String, Object> state(Map<String, Object> task) {
        return ApiClient.object(task.get("state"));
    }

    static String label(Map<String, Object> task) {
        Object name = task.get("name");
        return task.get("id") + (name instanceof String && !((String) name).isEmpty() ? " (" + name + ")" : "");
    }

    /** The task as {@code key=value} lines. */
    static void print(Terminal terminal, Map<String, Object> task) {
        Map<String, Object> state = state(task);
        Map<String, Object> schedule = ApiClient.object(task.get("schedule"));
        terminal.line("id=" + task.get("id"));
        terminal.line("name=" + ApiClient.text(task, "name", ""));
        terminal.line("task=" + ApiClient.text(task, "task", ""));
        terminal.line("runner=" + ApiClient.text(task, "runner", ""));
        terminal.line("runnerConfig=" + io.heddle.storage.internal.JsonTree.writeCompact(task.get("runnerConfig")));
        terminal.line("enabled=" + task.get("enabled"));
        terminal.line("every=" + DurationConverter.format(schedule.get("intervalMs")));
        terminal.line("nextRunAt=" + ApiClient.text(schedule, "nextRunAt", "-"));
        terminal.line("status=" + ApiClient.text(state, "status", ""));
        if (state.get("needs") != null) {
            terminal.line("needs=" + state.get("needs"));
        }
        if (state.get("message") != null) {
            terminal.line("message=" + state.get("message"));
        }
        terminal.line("result=" + ApiClient.text(state, "result", ""));
        terminal.line("error=" + ApiClient.text(state, "error", ""));
        terminal.line("lastRunId=" + ApiClient.text(state, "lastRunId", ""));
        terminal.line("failures=" + ApiClient.text(state, "failures", "0"));
    }

    /** A subcommand about one task, named by id or name. */
    abstract static class OneTask extends WorkspaceScopedCommand {

        @Parameters(index = "0", paramLabel = "TASK", description = "The task's id or name.")
        String task;

        OneTask(Terminal terminal) {
            super(terminal);
        }

        @Override
        final int run(ApiClient api) {
            String heartbeat = heartbeatPath(api);
            Map<String, Object> found = find(api, heartbeat, task);
            return run(api, taskPath(heartbeat, found), found);
        }

        abstract int run(ApiClient api, String path, Map<String, Object> task);

        /** Prints the changed task as JSON, or {@code text} then the task's status. */
        int changed(Object answer, String text) {
            return reply(
                    answer,
                    () -> text + " (status " + ApiClient.text(state(ApiClient.object(answer)), "status", "?") + ")");
        }
    }

    // --- list, show ---

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Lists the tasks of the workspace: id, status, enabled, interval, next slot, name.")
    static final class ListTasks extends WorkspaceScopedCommand {

        ListTasks(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api) {
            String heartbeat = heartbeatPath(api);
            Map<String, Object> answer = api.get(heartbeat + "/tasks");
            return replyWith(answer, () -> printTasks(answer));
        }

        /** The tasks as a table. */
        private void printTasks(Map<String, Object> answer) {
            List<Object> tasks = ApiClient.list(answer.get("tasks"));
            if (tasks.isEmpty()) {
                terminal.line(
                        "No tasks. Add one with: heddle task add --every 5m \"what it is for\" -- PROGRAM ARGS...");
                printWaiting(answer);
                return;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATUS", "ENABLED", "EVERY", "NEXT", "NAME"});
            for (Object o : tasks) {
                Map<String, Object> t = ApiClient.object(o);
                Map<String, Object> schedule = ApiClient.object(t.get("schedule"));
                rows.add(new String[] {
                    ApiClient.text(t, "id", ""),
                    ApiClient.text(state(t), "status", ""),
                    ApiClient.text(t, "enabled", ""),
                    DurationConverter.format(schedule.get("intervalMs")),
                    ApiClient.text(schedule, "nextRunAt", "-"),
                    ApiClient.text(t, "name", "")
                });
            }
            Table.print(terminal, rows);
            printWaiting(answer);
        }

        /** The task files a shared store leaves waiting: not run, not lost. */
        private void printWaiting(Map<String, Object> answer) {
            Object waiting = answer.get("fileTasksWaiting");
            if (waiting instanceof Number n && n.longValue() > 0) {
                terminal.line(n.longValue() + " task file(s) of this workspace wait to be imported: they are not run"
                        + " while the " + ApiClient.text(answer, "store", "shared") + " task store is in use.");
            }
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Shows one task: its instruction, runner, schedule and state.")
    static final class Show extends OneTask {

        Show(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api, String path, Map<String, Object> task) {
            Map<String, Object> fresh = api.get(path);
            return replyWith(fresh, () -> print(terminal, fresh));
        }
    }

    // --- add, edit ---

    /** The options add and edit share. */
    abstract static class TaskFields extends WorkspaceScopedCommand {

        @Option(names = "--name", paramLabel = "NAME", description = "The task's name (at most 200 characters).")
        String name;

        @Option(
                names = "--runner",
                paramLabel = "KIND",
                description = "The runner kind (see GET /api/heartbeat/runners): command, agent, or an extension's.")
        String runner;

        @Option(
                names = "--config",
                paramLabel = "JSON",
                description = "The runner's configuration as a JSON object (the API's runnerConfig).")
        String config;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description =
                        "For the command runner: how long the program may run (runnerConfig.timeoutMs)," + " e.g. 60s.")
        Long timeoutMs;

        @Option(
                names = "--continuation",
                paramLabel = "MODE",
                description = "Who may continue the task when it waits: operator (default) or agent.")
        String continuation;

        TaskFields(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            super.check();
            if (runner != null && !runner.matches("[A-Za-z0-9._-]{1,64}")) {
                throw usage("'" + runner + "' is not a runner kind. Use 1 to 64 letters, digits, '.', '_' or '-'");
            }
            if (continuation != null && !continuation.equals("operator") && !continuation.equals("agent")) {
                throw usage("--continuation '" + continuation + "' is neither operator nor agent. Give one of them");
            }
            if (config != null) {
                configObject();
            }
        }

        Map<String, Object> configObject() {
            Object parsed;
            try {
                parsed = io.heddle.storage.internal.JsonTree.parse(
                        config.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                parsed = null;
            }
            if (!(parsed instanceof Map)) {
                throw usage(
                        "--config is not a JSON object. Give one such as --config '{\"argv\":[\"git\",\"status\"]}'");
            }
            return ApiClient.object(parsed);
        }

        /** runnerConfig from --config, argv and --timeout over {@code base}; null when none of them is given. */
        Map<String, Object> runnerConfig(Map<String, Object> base, List<String> argv) {
            if (config == null && (argv == null || argv.isEmpty()) && timeoutMs == null) {
                return null;
            }
            Map<String, Object> result = new LinkedHashMap<>(config != null ? configObject() : base);
            if (argv != null && !argv.isEmpty()) {
                result.put("argv", new ArrayList<Object>(argv));
            }
            if (timeoutMs != null) {
                result.put("timeoutMs", timeoutMs);
            }
            return result;
        }

        void putCommon(Map<String, Object> body) {
            if (name != null) {
                body.put("name", name);
            }
            if (runner != null) {
                body.put("runner", runner);
            }
            if (continuation != null) {
                body.put("continuationMode", continuation);
            }
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = {
                "Adds a task to the workspace. Its first slot is one interval from now.",
                "For the command runner (the default), the program and its arguments follow '--', e.g.:",
                "  heddle task add --every 5m --name 'git status' 'Show what is uncommitted' -- git status --short"
            })
    static final class Add extends TaskFields {

        @Option(
                names = "--every",
                paramLabel = "DURATION",
                required = true,
                converter = DurationConverter.class,
                description = "The interval, e.g. 30s, 5m, 1h (at least 1s).")
        long everyMs;

        @Option(names = "--disabled", description = "Add it disabled (it does not run until enabled).")
        boolean disabled;

        @Parameters(index = "0", paramLabel = "TEXT", description = "The instruction: what the task is for.")
        String text;

        @Parameters(
                index = "1..*",
                paramLabel = "ARGV",
                description =
                        "After '--': the program and its arguments" + " (the command runner's runnerConfig.argv).")
        List<String> argv = new ArrayList<>();

        Add(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            super.check();
            if (text.isBlank()) {
                throw usage("The task's TEXT is empty. Say what the task is for, e.g. 'Show what is uncommitted'");
            }
            String kind = runner == null ? "command" : runner;
            if (kind.equals("command")
                    && argv.isEmpty()
                    && (config == null || !configObject().containsKey("argv"))) {
                throw usage("A command task needs its program. Give it after '--', e.g. -- git status --short");
            }
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> body = new LinkedHashMap<>();
            putCommon(body);
            body.put("task", text);
            body.put("enabled", !disabled);
            body.put("schedule", Map.of("intervalMs", everyMs));
            if (runner == null) {
                body.put("runner", "command");
            }
            Map<String, Object> runnerConfig = runnerConfig(new LinkedHashMap<>(), argv);
            if (runnerConfig != null) {
                body.put("runnerConfig", runnerConfig);
            }
            Object answer = api.send("POST", heartbeatPath(api) + "/tasks", body);
            return reply(
                    answer,
                    () -> "Task " + label(ApiClient.object(answer)) + " added; it runs every "
                            + DurationConverter.format(everyMs) + (disabled ? " once enabled." : "."));
        }
    }

    @Command(
            name = "edit",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = {
                "Changes a task: only what is given changes. A new program follows '--'.",
                "  heddle task edit TASK --every 10m",
                "  heddle task edit TASK -- git status --porcelain"
            })
    static final class Edit extends TaskFields {

        @Parameters(index = "0", paramLabel = "TASK", description = "The task's id or name.")
        String task;

        @Option(names = "--task", paramLabel = "TEXT", description = "A new instruction.")
        String text;

        @Option(
                names = "--every",
                paramLabel = "DURATION",
                converter = DurationConverter.class,
                description = "A new interval, e.g. 10m; the next slot moves to one interval from now.")
        Long everyMs;

        @Parameters(index = "1..*", paramLabel = "ARGV", description = "After '--': a new program and arguments.")
        List<String> argv = new ArrayList<>();

        Edit(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            super.check();
            if (name == null
                    && runner == null
                    && config == null
                    && timeoutMs == null
                    && continuation == null
                    && text == null
                    && everyMs == null
                    && argv.isEmpty()) {
                throw usage("Nothing to change. Give at least one of --name, --task, --every, --runner, --config,"
                        + " --timeout, --continuation or a program after '--'");
            }
        }

        @Override
        int run(ApiClient api) {
            String heartbeat = heartbeatPath(api);
            Map<String, Object> found = find(api, heartbeat, task);
            Map<String, Object> body = new LinkedHashMap<>();
            putCommon(body);
            if (text != null) {
                body.put("task", text);
            }
            if (everyMs != null) {
                body.put("schedule", Map.of("intervalMs", everyMs));
            }
            Map<String, Object> runnerConfig = runnerConfig(ApiClient.object(found.get("runnerConfig")), argv);
            if (runnerConfig != null) {
                body.put("runnerConfig", runnerConfig);
            }
            Object answer = api.send("PATCH", taskPath(heartbeat, found), body);
            return reply(answer, () -> "Task " + label(ApiClient.object(answer)) + " changed.");
        }
    }

    // --- enable, disable, run, resume, rm ---

    /** A subcommand that sends one request about one task and prints the task it answers. */
    abstract static class TaskChange extends OneTask {
        private final String method;
        private final String suffix;
        private final Object body;
        private final String done;

        /** Sends {@code body} with {@code method} to the task's path plus {@code suffix}; says "Task T {@code done}". */
        TaskChange(Terminal terminal, String method, String suffix, Object body, String done) {
            super(terminal);
            this.method = method;
            this.suffix = suffix;
            this.body = body;
            this.done = done;
        }

        @Override
        final int run(ApiClient api, String path, Map<String, Object> task) {
            return changed(api.send(method, path + suffix, body), "Task " + label(task) + " " + done);
        }
    }

    @Command(
            name = "enable",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Enables a task; its next slot is one interval from now.")
    static final class Enable extends TaskChange {
        Enable(Terminal terminal) {
            super(terminal, "PATCH", "", Map.of("enabled", true), "enabled");
        }
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Disables a task: it does not run until enabled again.")
    static final class Disable extends TaskChange {
        Disable(Terminal terminal) {
            super(terminal, "PATCH", "", Map.of("enabled", false), "disabled");
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Runs a task now (as soon as a slot is free); its schedule stays. See the run with:"
                    + " heddle runs TASK")
    static final class RunNow extends TaskChange {
        RunNow(Terminal terminal) {
            super(terminal, "POST", "/run", null, "runs now");
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Resumes a task that is blocked, waiting for a resume, complete or failed: it runs at once.")
    static final class Resume extends TaskChange {
        Resume(Terminal terminal) {
            super(terminal, "POST", "/resume", null, "resumed");
        }
    }

    @Command(
            name = "rm",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Removes a task and its run history.")
    static final class Remove extends OneTask {
        Remove(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api, String path, Map<String, Object> task) {
            Object answer = api.send("DELETE", path, null);
            return reply(answer, () -> "Task " + label(task) + " removed.");
        }
    }

    /** {@code store} or {@code files}, else a usage error. */
    static String where(ApiCommand command, String option, String value) {
        if (!value.equals("store") && !value.equals("files")) {
            throw command.usage(option + " must be store or files, not '" + value + "'");
        }
        return value;
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Writes the workspace's tasks (with their state and schedule) as one JSON document, to move"
                    + " them into a shared task store and back with 'heddle task import'. Nothing is changed.")
    static final class Export extends WorkspaceScopedCommand {

        @Option(
                names = "--from",
                paramLabel = "store|files",
                defaultValue = "store",
                description = "store (default): the task store in use; files: the workspace's own task files (also"
                        + " while a shared store is in use and they wait to be imported).")
        String from;

        @Option(
                names = {"-o", "--output"},
                paramLabel = "FILE",
                description = "Write to FILE (replaced if it exists) instead of the standard output.")
        Path output;

        Export(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            where(this, "--from", from);
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> doc = api.get(heartbeatPath(api) + "/export?from=" + from);
            byte[] bytes = JsonTree.write(doc);
            if (output == null) {
                terminal.line(new String(bytes, StandardCharsets.UTF_8).stripTrailing());
                return Heddle.OK;
            }
            try {
                Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".heddle-export", ".tmp");
                try {
                    Files.write(tmp, bytes);
                    Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw CommandFailure.runtime(
                        "Cannot write " + output + " (" + e.getMessage() + "). Choose another" + " file with --output.",
                        e);
            }
            int n = ApiClient.list(doc.get("tasks")).size();
            terminal.line("Exported " + n + " task(s) from the "
                    + (from.equals("files") ? "workspace's task files" : "task store in use") + " to " + output + ".");
            return Heddle.OK;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Stores the tasks of a file written by 'heddle task export', as they are, into the task"
                    + " store in use (or the workspace's task files). All or nothing: an id that exists already is"
                    + " refused, unless --rename. The file is kept.")
    static final class Import extends WorkspaceScopedCommand {

        @Parameters(index = "0", paramLabel = "FILE", description = "The export to read ('-': the standard input).")
        String file;

        @Option(
                names = "--to",
                paramLabel = "store|files",
                defaultValue = "store",
                description = "store (default): the task store in use; files: the workspace's own task files.")
        String to;

        @Option(names = "--rename", description = "Give a task whose id exists already a new id instead of refusing.")
        boolean rename;

        private Object document;

        Import(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            where(this, "--to", to);
            byte[] bytes;
            try {
                bytes = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            } catch (IOException | RuntimeException e) {
                throw usage("Cannot read " + file + " (" + e.getMessage() + "). Give a file written by heddle task"
                        + " export.");
            }
            try {
                document = JsonTree.parse(bytes);
            } catch (JsonTree.MalformedJsonException e) {
                throw usage(file + " is not JSON (" + e.getMessage() + "). Give a file written by heddle task export.");
            }
        }

        @Override
        int run(ApiClient api) {
            Object answer = api.send("POST", heartbeatPath(api) + "/import?to=" + to + "&rename=" + rename, document);
            if (json) {
                printJson(answer);
                return Heddle.OK;
            }
            List<Object> imported = ApiClient.list(ApiClient.object(answer).get("imported"));
            terminal.line("Imported " + imported.size() + " task(s) into the "
                    + (to.equals("files") ? "workspace's task files" : "task store in use") + ".");
            for (Object o : imported) {
                Map<String, Object> one = ApiClient.object(o);
                String id = ApiClient.text(one, "id", "");
                String from = ApiClient.text(one, "from", "");
                terminal.line("  " + id + (id.equals(from) ? "" : " (renamed from " + from + ")"));
            }
            return Heddle.OK;
        }
    }
}
