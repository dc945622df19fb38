package io.heddle.launcher;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerRecord;
import io.heddle.api.registry.WorkspaceEntry;
import io.heddle.registry.internal.FileDaemonRegistry;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heddle status}: the live server (if any) and the known workspaces, from the registry. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = "Shows the live Heddle server (endpoint, serverId, mode, pid, age, fresh or stale) and the"
                + " known workspaces.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:a fresh server is running",
            "1:the registry could not be read",
            "2:usage error",
            "3:no server is running (none recorded, or the record is stale)"
        })
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    private final Terminal terminal;

    StatusCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        LiveServerLookup lookup = LiveServerLookup.open(terminal);
        FileDaemonRegistry registry = lookup.registry();
        RegistrySnapshot snapshot = lookup.snapshot();
        Optional<LiveServer> live = lookup.judge(snapshot);
        if (json) {
            terminal.line(JsonTree.writeCompact(toJson(registry, live, snapshot.workspaces())));
        } else {
            printText(registry, live, snapshot.workspaces());
        }
        return live.filter(LiveServer::fresh).isPresent() ? Heddle.OK : Heddle.NOT_RUNNING;
    }

    private void printText(FileDaemonRegistry registry, Optional<LiveServer> live, List<WorkspaceEntry> workspaces) {
        if (live.isEmpty()) {
            terminal.line("No Heddle server is running. Start one with: heddle daemon");
        } else {
            LiveServer l = live.get();
            ServerRecord s = l.server();
            if (l.fresh()) {
                terminal.line("Heddle control-plane server running at " + s.endpointUrl());
            } else {
                terminal.line("No Heddle server is running: the last record (" + s.endpointUrl() + ") is stale, "
                        + l.staleReason() + ". Start one with: heddle daemon");
            }
            terminal.line("serverId=" + s.serverId());
            terminal.line("mode=" + s.mode().wireName());
            terminal.line("pid=" + s.pid());
            terminal.line("startedAt=" + JsonFields.format(s.startedAt()));
            terminal.line("lastSeenAt=" + JsonFields.format(s.lastSeenAt()));
            terminal.line("ageMs=" + l.age().toMillis());
            terminal.line("freshness=" + (l.fresh() ? "fresh" : "stale"));
        }
        terminal.line("registry=" + registry.path());
        terminal.line("workspaces=" + workspaces.size());
        for (WorkspaceEntry entry : workspaces) {
            terminal.line(
                    "  " + entry.workspace().name() + "  " + entry.workspace().workspaceRoot() + "  (state "
                            + entry.workspace().stateRoot() + ")");
        }
    }

    static Map<String, Object> toJson(
            FileDaemonRegistry registry, Optional<LiveServer> live, List<WorkspaceEntry> workspaces) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("running", live.filter(LiveServer::fresh).isPresent());
        root.put("registry", registry.path().toString());
        if (live.isPresent()) {
            LiveServer l = live.get();
            ServerRecord s = l.server();
            Map<String, Object> server = new LinkedHashMap<>();
            server.put("endpoint", s.endpointUrl());
            server.put("host", s.host());
            server.put("port", s.port());
            server.put("serverId", s.serverId());
            server.put("mode", s.mode().wireName());
            server.put("pid", s.pid());
            server.put("startedAt", JsonFields.format(s.startedAt()));
            server.put("lastSeenAt", JsonFields.format(s.lastSeenAt()));
            server.put("ageMs", l.age().toMillis());
            server.put("fresh", l.fresh());
            server.put("stale", l.stale());
            server.put("staleReason", l.staleReason());
            root.put("server", server);
        } else {
            root.put("server", null);
        }
        List<Object> list = new ArrayList<>();
        for (WorkspaceEntry entry : workspaces) {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("id", entry.workspace().id());
            w.put("name", entry.workspace().name());
            w.put("workspaceRoot", entry.workspace().workspaceRoot());
            w.put("stateRoot", entry.workspace().stateRoot());
            w.put("updatedAt", JsonFields.format(entry.updatedAt()));
            list.add(w);
        }
        root.put("workspaces", list);
        return root;
    }
}
