package io.heddle.launcher;

import java.util.Map;

/**
 * {@code heddle __complete tasks|workspaces [--workspace WS]}: what the shell completion script
 * asks the live server for, one candidate a line (task ids and names; workspace ids and names).
 * Hidden, without picocli (it runs on every Tab), and silent: any failure prints nothing and
 * exits 1.
 */
final class CompletionCandidates {

    static final String COMMAND = "__complete";

    private CompletionCandidates() {}

    static int print(String[] args, Terminal terminal) {
        try {
            String what = args.length > 1 ? args[1] : "";
            String workspace = null;
            for (int i = 2; i + 1 < args.length; i++) {
                if (args[i].equals("--workspace")) {
                    workspace = args[i + 1];
                }
            }
            Terminal silent = new Terminal(
                    terminal.out(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false);
            ApiClient api = LiveServerLookup.open(silent).connect();
            StringBuilder out = new StringBuilder();
            if (what.equals("tasks")) {
                Map<String, Object> w = Workspaces.choose(api, workspace);
                String heartbeat = "/api/workspaces/" + ApiClient.segment(ApiClient.text(w, "id", "")) + "/heartbeat";
                for (Map<String, Object> t : TaskCommand.tasks(api, heartbeat)) {
                    add(out, t.get("id"));
                    add(out, t.get("name"));
                }
            } else if (what.equals("workspaces")) {
                for (Map<String, Object> w : Workspaces.catalog(api.get("/api/workspaces"))) {
                    add(out, w.get("name"));
                    add(out, w.get("id"));
                }
            } else {
                return Heddle.USAGE;
            }
            terminal.out().print(out);
            terminal.out().flush();
            return Heddle.OK;
        } catch (RuntimeException e) {
            return Heddle.FAILURE;
        }
    }

    /** One candidate a line; names with blanks or line breaks are left out (the shell would split them). */
    private static void add(StringBuilder out, Object value) {
        if (value instanceof String && !((String) value).isEmpty() && !((String) value).matches(".*\\s.*")) {
            out.append(value).append('\n');
        }
    }
}
