package io.heddle.launcher;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heddle daemon}: attach to the live server, or start one in the foreground. */
@Command(
        name = "daemon",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        sortOptions = false,
        description = {
            "Starts the Heddle control-plane server in the foreground, or, when a fresh server is already"
                    + " running for this user, prints where it is and exits 0 without starting anything.",
            "Stop it with Ctrl-C, SIGTERM, or 'heddle stop'."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:started and later stopped cleanly, or attached to the running server",
            "1:failure (port in use, assets missing, registry unwritable, close failed)",
            "2:usage error"
        })
final class DaemonCommand implements Callable<Integer> {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PORT = "8765";
    static final String DEFAULT_STATE_DIR = ".heddle";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = DEFAULT_HOST,
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}). A non-loopback address requires the token on every request.")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = DEFAULT_PORT,
            converter = PortConverter.class,
            description = "Port to listen on, 0 to 65535 (default: ${DEFAULT-VALUE}; 0 picks a free port).")
    int port;

    @Option(
            names = "--workspace",
            paramLabel = "DIR",
            description = "The workspace folder (default: the current folder).")
    Path workspace;

    @Option(
            names = "--state-dir",
            paramLabel = "NAME",
            defaultValue = DEFAULT_STATE_DIR,
            description = "The state folder inside the workspace (default: ${DEFAULT-VALUE}).")
    String stateDir;

    @Option(
            names = "--assets-dir",
            paramLabel = "DIR",
            description = "Serve the web UI from this folder instead of the bundled one (it must hold index.html;"
                    + " for UI development).")
    Path assetsDir;

    @Option(
            names = "--no-assets",
            description = "Serve no web UI, only the API under /api/. Without this option"
                    + " and without --assets-dir, the bundled web UI is served.")
    boolean noAssets;

    @Option(
            names = "--extensions-dir",
            paramLabel = "DIR",
            description = "The hot-deploy folder for extension bundles, created if missing (default: the dir of"
                    + " $HEDDLE_HOME/etc/io.heddle.extensions.cfg, else $HEDDLE_HOME/extensions).")
    Path extensionsDir;

    @Option(
            names = "--force-owner-conflict",
            description = "Start even when a fresh server is running, and take the live record over from it.")
    boolean forceOwnerConflict;

    private final Terminal terminal;

    DaemonCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** The parsed options, checked for what picocli cannot check alone. */
    DaemonRun.Settings settings() {
        if (host == null || host.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(), "--host is empty. Give an address such as 127.0.0.1 (the default)");
        }
        requireNonEmpty(
                spec, "--workspace", workspace, "Give a folder, or leave the option out for the current folder");
        requireNonEmpty(
                spec, "--assets-dir", assetsDir, "Give a folder that holds index.html, or leave the option out");
        requireNonEmpty(spec, "--extensions-dir", extensionsDir, "Give a folder, or leave the option out");
        if (assetsDir != null && noAssets) {
            throw new ParameterException(
                    spec.commandLine(), "--assets-dir and --no-assets contradict each other. Give one of them");
        }
        if (stateDir == null || stateDir.isBlank()) {
            throw new ParameterException(
                    spec.commandLine(), "--state-dir is empty. Give a folder name such as .heddle (the default)");
        }
        if (!validStateDir(stateDir)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--state-dir " + stateDir
                            + " must be a folder name inside the workspace, not a path. Give a name such as .heddle (the default)");
        }
        return new DaemonRun.Settings(
                host.trim(),
                port,
                Optional.ofNullable(workspace),
                stateDir,
                Optional.ofNullable(assetsDir),
                noAssets,
                forceOwnerConflict,
                Optional.ofNullable(extensionsDir));
    }

    /** An option given with an empty (or blank) value is a usage error: {@code Path.of("")} would mean "here". */
    static void requireNonEmpty(CommandSpec spec, String option, Path value, String fix) {
        if (value != null && value.toString().isBlank()) {
            throw new ParameterException(spec.commandLine(), option + " is empty. " + fix);
        }
    }

    /** A state folder is named relative to the workspace: no absolute path, no "..", a valid path. */
    static boolean validStateDir(String value) {
        try {
            java.nio.file.Path path = java.nio.file.Path.of(value);
            if (path.isAbsolute()) {
                return false;
            }
            for (java.nio.file.Path part : path) {
                if (part.toString().equals("..")) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException invalidPath) {
            return false;
        }
    }

    @Override
    public Integer call() {
        return new DaemonRun(settings(), terminal).run();
    }
}
