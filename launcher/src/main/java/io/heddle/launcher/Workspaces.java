package io.heddle.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which workspace of the live server's catalog a command means: one named by id, name or folder,
 * or by default the one that contains the current folder (the deepest), else the active one.
 */
final class Workspaces {

    private Workspaces() {}

    static List<Map<String, Object>> catalog(Map<String, Object> answer) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object w : ApiClient.list(answer.get("workspaces"))) {
            all.add(ApiClient.object(w));
        }
        return all;
    }

    /** The workspace {@code given} names (null: the default); exit 1 when the catalog has none such. */
    static Map<String, Object> choose(ApiClient api, String given) {
        Map<String, Object> answer = api.get("/api/workspaces");
        List<Map<String, Object>> all = catalog(answer);
        if (given != null) {
            return find(all, given)
                    .orElseThrow(
                            () -> CommandFailure.runtime(
                                    "The server at "
                                            + api.server().endpointUrl() + " knows no workspace '" + given
                                            + "' (by id, name or folder). See"
                                            + " them with 'heddle workspace list', or add the folder with 'heddle workspace add DIR'."));
        }
        Map<String, Object> containing = containing(all, currentFolder());
        if (containing != null) {
            return containing;
        }
        Object active = answer.get("activeWorkspaceId");
        for (Map<String, Object> w : all) {
            if (w.get("id") != null && w.get("id").equals(active)) {
                return w;
            }
        }
        throw CommandFailure.runtime("The server at " + api.server().endpointUrl() + " has no workspace that contains "
                + currentFolder() + " and no active workspace. Pass --workspace, or add the folder with"
                + " 'heddle workspace add DIR'.");
    }

    /** By id, then by name (when exactly one has it), then by folder. */
    static java.util.Optional<Map<String, Object>> find(List<Map<String, Object>> all, String given) {
        for (Map<String, Object> w : all) {
            if (given.equals(w.get("id"))) {
                return java.util.Optional.of(w);
            }
        }
        List<Map<String, Object>> named = new ArrayList<>();
        for (Map<String, Object> w : all) {
            if (given.equals(w.get("name"))) {
                named.add(w);
            }
        }
        if (named.size() == 1) {
            return java.util.Optional.of(named.get(0));
        }
        Path folder;
        try {
            folder = canonical(Path.of(given));
        } catch (RuntimeException notAPath) {
            return java.util.Optional.empty();
        }
        for (Map<String, Object> w : all) {
            Object root = w.get("workspaceRoot");
            if (root instanceof String && canonical(Path.of((String) root)).equals(folder)) {
                return java.util.Optional.of(w);
            }
        }
        return java.util.Optional.empty();
    }

    /** The deepest workspace whose folder contains {@code folder}; null when none does. */
    static Map<String, Object> containing(List<Map<String, Object>> all, Path folder) {
        Map<String, Object> best = null;
        int depth = -1;
        for (Map<String, Object> w : all) {
            Object root = w.get("workspaceRoot");
            if (!(root instanceof String)) {
                continue;
            }
            Path r;
            try {
                r = canonical(Path.of((String) root));
            } catch (RuntimeException notAPath) {
                continue;
            }
            if (folder.startsWith(r) && r.getNameCount() > depth) {
                best = w;
                depth = r.getNameCount();
            }
        }
        return best;
    }

    static Path currentFolder() {
        return canonical(Path.of(""));
    }

    /** The real path when the folder exists, else the absolute normalised one. */
    static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return absolute.toRealPath();
        } catch (IOException | SecurityException e) {
            return absolute;
        }
    }
}
