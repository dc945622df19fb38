package io.heddle.launcher;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * An API command about one workspace of the live server's catalog: {@code --workspace} names it
 * (an id, a name or a folder); by default it is the catalog's workspace that contains the current
 * folder, else the active one.
 */
abstract class WorkspaceScopedCommand extends ApiCommand {

    @Option(
            names = "--workspace",
            paramLabel = "WS",
            description = "The workspace: its id, its name or its folder (default: the workspace that contains the"
                    + " current folder, else the active one; see heddle workspace list).")
    String workspace;

    WorkspaceScopedCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    void check() {
        if (workspace != null && workspace.isBlank()) {
            throw usage("--workspace is empty. Give a workspace id, name or folder, or leave the option out");
        }
    }

    /** The chosen workspace's descriptor. */
    Map<String, Object> workspace(ApiClient api) {
        return Workspaces.choose(api, workspace);
    }

    /** {@code /api/workspaces/{id}/heartbeat} of the chosen workspace. */
    String heartbeatPath(ApiClient api) {
        return "/api/workspaces/" + ApiClient.segment(ApiClient.text(workspace(api), "id", "")) + "/heartbeat";
    }
}
