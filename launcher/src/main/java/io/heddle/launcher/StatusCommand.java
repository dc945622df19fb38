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
        Map<String, Object> health = live.filter(LiveServer::fresh)
                .map(l -> health(lookup, l.server()))
                .orElse(null);
        if (json) {
            Map<String, Object> root = toJson(registry, live, snapshot.workspaces());
            root.put("health", health);
            terminal.line(JsonTree.writeCompact(root));
        } else {
            printText(registry, live, snapshot.workspaces());
            if (health != null) {
                printHealth(health);
            }
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

    /**
     * The fresh server's {@code /api/health} answer (its state, and the task store in use); a map
     * with {@code status=unknown} and the cause when it does not answer.
     */
    private static Map<String, Object> health(LiveServerLookup lookup, ServerRecord server) {
        try {
            return new ApiClient(server, lookup.tokenIfReadable(server).orElse("")).get("/api/health");
        } catch (CommandFailure e) {
            Map<String, Object> unknown = new LinkedHashMap<>();
            unknown.put("status", "unknown");
            unknown.put("error", e.getMessage());
            return unknown;
        }
    }

    private void printHealth(Map<String, Object> health) {
        terminal.line("health=" + ApiClient.text(health, "status", "unknown")
                + (health.get("error") != null ? " (" + health.get("error") + ")" : ""));
        for (Object o : ApiClient.list(health.get("reasons"))) {
            Map<String, Object> r = ApiClient.object(o);
            terminal.line("  " + ApiClient.text(r, "source", "") + ": " + ApiClient.text(r, "message", ""));
        }
        Object store = health.get("taskStore");
        if (store == null) {
            return;
        }
        Map<String, Object> t = ApiClient.object(store);
        Map<String, Object> where = ApiClient.object(t.get("location"));
        String kind = ApiClient.text(t, "kind", "");
        String line = "taskStore=" + kind;
        if (!where.isEmpty()) {
            line += " " + ApiClient.text(where, "host", "") + ":" + ApiClient.text(where, "port", "") + "/"
                    + ApiClient.text(where, "database", "") + " namespace " + ApiClient.text(where, "namespace", "");
        }
        line += Boolean.TRUE.equals(t.get("available"))
                ? " (available)"
                : " (unavailable: " + ApiClient.text(t, "problem", "") + ")";
        terminal.line(line);
        for (Object o : ApiClient.list(t.get("servers"))) {
            Map<String, Object> sv = ApiClient.object(o);
            terminal.line("  server " + ApiClient.text(sv, "serverId", "") + "  lastClaimAt="
                    + ApiClient.text(sv, "lastClaimAt", "-") + "  lastRenewAt="
                    + ApiClient.text(sv, "lastRenewAt", "-"));
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
