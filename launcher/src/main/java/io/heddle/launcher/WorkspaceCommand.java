package io.heddle.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code heddle workspace ...}: the live server's workspace catalog. */
@Command(
        name = "workspace",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Lists, adds, renames and activates the workspaces of the running server's catalog.",
        commandListHeading = "%nCommands:%n",
        subcommands = {
            WorkspaceCommand.ListWorkspaces.class,
            WorkspaceCommand.Add.class,
            WorkspaceCommand.Rename.class,
            WorkspaceCommand.Key.class,
            WorkspaceCommand.Use.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failure (the server refused, or did not answer)",
            "2:usage error",
            "3:no server is running"
        })
final class WorkspaceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    WorkspaceCommand(Terminal terminal) {}

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "No workspace command given. Pick one of the commands below");
    }

    static String label(Map<String, Object> w) {
        return ApiClient.text(w, "name", "?") + " (" + ApiClient.text(w, "id", "?") + ", "
                + ApiClient.text(w, "workspaceRoot", "?") + ")";
    }

    static Map<String, Object> find(ApiClient api, String given) {
        return Workspaces.choose(api, given);
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Lists the catalog: id, name and folder; '*' marks the active workspace.")
    static final class ListWorkspaces extends ApiCommand {
        ListWorkspaces(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> answer = api.get("/api/workspaces");
            return replyWith(answer, () -> printCatalog(answer));
        }

        /** The catalog as a table. */
        private void printCatalog(Map<String, Object> answer) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"", "ID", "NAME", "FOLDER"});
            for (Map<String, Object> w : Workspaces.catalog(answer)) {
                boolean active = w.get("id") != null && w.get("id").equals(answer.get("activeWorkspaceId"));
                rows.add(new String[] {
                    active ? "*" : "",
                    ApiClient.text(w, "id", ""),
                    ApiClient.text(w, "name", ""),
                    ApiClient.text(w, "workspaceRoot", "")
                });
            }
            Table.print(terminal, rows);
        }
    }

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Adds a folder to the catalog (a folder already there answers its workspace).")
    static final class Add extends ApiCommand {

        @Parameters(index = "0", paramLabel = "DIR", description = "The workspace folder; it must exist.")
        Path folder;

        @Option(names = "--name", paramLabel = "NAME", description = "Its name (default: the folder's name).")
        String name;

        Add(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            if (folder.toString().isEmpty()) {
                throw usage("DIR is empty. Give a folder, such as .");
            }
        }

        @Override
        int run(ApiClient api) {
            Path root = Workspaces.canonical(folder);
            if (!Files.isDirectory(root)) {
                throw CommandFailure.runtime(
                        "The workspace " + root + " is not a folder. Create it, or give another" + " folder.");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("workspaceRoot", root.toString());
            if (name != null) {
                body.put("name", name);
            }
            Object answer = api.send("POST", "/api/workspaces", body);
            return reply(answer, () -> "Workspace " + label(ApiClient.object(answer)) + " added.");
        }
    }

    @Command(
            name = "rename",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Renames a workspace.")
    static final class Rename extends ApiCommand {

        @Parameters(index = "0", paramLabel = "WS", description = "The workspace: its id, name or folder.")
        String workspace;

        @Parameters(index = "1", paramLabel = "NAME", description = "The new name (1 to 200 characters).")
        String name;

        Rename(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            if (name.isBlank() || name.length() > 200) {
                throw usage("The name '" + name + "' is empty or longer than 200 characters. Give 1 to 200");
            }
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> w = find(api, workspace);
            Object answer = api.send(
                    "PATCH", "/api/workspaces/" + ApiClient.segment(ApiClient.text(w, "id", "")), Map.of("name", name));
            return reply(answer, () -> "Workspace " + label(ApiClient.object(answer)) + " renamed.");
        }
    }

    @Command(
            name = "key",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Sets the key a shared task store files the workspace's tasks under (by default the"
                    + " folder's git origin remote, else its name), or clears it with --clear.")
    static final class Key extends ApiCommand {

        @Parameters(index = "0", paramLabel = "WS", description = "The workspace: its id, name or folder.")
        String workspace;

        @Parameters(
                index = "1",
                paramLabel = "KEY",
                arity = "0..1",
                description = "The key (1 to 200 characters), e.g. github.com/me/app.")
        String key;

        @picocli.CommandLine.Option(names = "--clear", description = "Derive the key from the folder again.")
        boolean clear;

        Key(Terminal terminal) {
            super(terminal);
        }

        @Override
        void check() {
            if (clear == (key != null)) {
                throw usage("Give either a KEY or --clear");
            }
            if (key != null
                    && (key.isBlank()
                            || key.strip().length() > 200
                            || key.chars().anyMatch(Character::isISOControl))) {
                throw usage("The key '" + key + "' is empty, longer than 200 characters or holds control characters."
                        + " Give 1 to 200 characters");
            }
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> w = find(api, workspace);
            Map<String, Object> body = new java.util.HashMap<>();
            body.put("workspaceKey", key);
            Object answer =
                    api.send("PATCH", "/api/workspaces/" + ApiClient.segment(ApiClient.text(w, "id", "")), body);
            if (json) {
                printJson(answer);
            } else if (key == null) {
                terminal.line("Workspace " + label(ApiClient.object(answer)) + ": its task store key is derived from"
                        + " the folder again.");
            } else {
                terminal.line("Workspace " + label(ApiClient.object(answer)) + ": its task store key is "
                        + ApiClient.text(ApiClient.object(answer), "workspaceKey", "") + ".");
            }
            return Heddle.OK;
        }
    }

    @Command(
            name = "use",
            mixinStandardHelpOptions = true,
            versionProvider = HeddleVersion.class,
            description = "Makes a workspace the active one (the default of commands run outside every workspace).")
    static final class Use extends ApiCommand {

        @Parameters(index = "0", paramLabel = "WS", description = "The workspace: its id, name or folder.")
        String workspace;

        Use(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(ApiClient api) {
            Map<String, Object> w = find(api, workspace);
            Object answer = api.send("PUT", "/api/workspaces/active", Map.of("workspaceId", w.get("id")));
            return reply(answer, () -> "Workspace " + label(w) + " is now the active one.");
        }
    }
}
