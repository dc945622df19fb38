package io.heddle.launcher;

import io.heddle.registry.internal.ProcessLiveness;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What server processes leave under {@code HEDDLE_HOME}: a token file per start (written before
 * the server binds, removed on close) and a bundle cache per daemon run. Both are named after
 * the server id, which carries the pid ({@code <mode>-<pid>-<epochMillis>}).
 */
final class RunFiles {

    private static final Pattern SERVER_ID = Pattern.compile("^[a-z-]+-(\\d+)-(\\d+)(?:\\.token)?$");
    private static final ProcessLiveness LIVENESS = new ProcessLiveness();

    private RunFiles() {}

    /**
     * True when another live process of this machine is starting or running a server for this
     * home: its token file exists and its pid is alive. Used to tell a port held by a Heddle
     * server that is starting from one held by a foreign program.
     */
    static boolean anotherServerProcessAlive(HomeFolder home, long selfPid) {
        try (DirectoryStream<Path> tokens = Files.newDirectoryStream(home.run(), "*.token")) {
            for (Path token : tokens) {
                OptionalLong pid = pidOf(token.getFileName().toString());
                if (pid.isPresent() && pid.getAsLong() != selfPid && alive(pid.getAsLong())) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException noRunFolder) {
            return false;
        }
        return false;
    }

    /**
     * Removes the bundle caches and token files of server processes that no longer exist (a
     * daemon killed with {@code kill -9} leaves both behind). Best effort.
     */
    static void pruneDeadProcesses(HomeFolder home) {
        prune(home.cache(), "*");
        prune(home.run(), "*.token");
    }

    private static void prune(Path dir, String glob) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            for (Path entry : entries) {
                OptionalLong pid = pidOf(entry.getFileName().toString());
                if (pid.isPresent() && !alive(pid.getAsLong())) {
                    FileTrees.deleteQuietly(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover is retried at the next start
        }
    }

    static OptionalLong pidOf(String name) {
        Matcher m = SERVER_ID.matcher(name);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean alive(long pid) {
        return LIVENESS.deadReason(pid, null).isEmpty();
    }
}
