package io.heddle.launcher;

import io.heddle.api.registry.LiveServer;
import io.heddle.api.registry.RegistryException;
import io.heddle.api.registry.ServerRecord;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code heddle daemon} when a fresh server is live, decided without picocli: the library is
 * Java 5 bytecode (the class-data-sharing archive cannot hold it) and loading it costs several
 * times a bare JVM start.
 *
 * <p>It only ever <em>attaches</em>: it accepts a command line only when it is certainly one that
 * {@link DaemonCommand} parses without error (the same options, each at most once, well-formed
 * values) and never with {@code --force-owner-conflict} or {@code --help}. Whenever it is not
 * sure, or no fresh server is live, it answers empty and the full command line decides, so
 * usage errors and starts behave exactly as without it.
 */
final class AttachFastPath {

    /** {@link DaemonCommand}'s options that take a value. A unit test keeps both lists equal. */
    static final Set<String> VALUE_OPTIONS = Set.of("--host", "--port", "--workspace", "--state-dir", "--assets-dir");
    /** {@link DaemonCommand}'s flags that do not prevent attaching. */
    static final Set<String> FLAG_OPTIONS = Set.of("--no-assets");

    private AttachFastPath() {
    }

    /** The exit code when it attached; empty when the full command line must decide. */
    static OptionalInt tryAttach(String[] args, Terminal terminal) {
        if (!accepts(args)) {
            return OptionalInt.empty();
        }
        Optional<ServerRecord> live;
        try {
            live = HomeFolder.fromEnvironment().openRegistry(terminal::warning).resolveLiveServer()
                    .filter(LiveServer::fresh).map(LiveServer::server);
        } catch (RegistryException | CommandFailure e) {
            return OptionalInt.empty();
        }
        if (live.isEmpty()) {
            return OptionalInt.empty();
        }
        terminal.line("Heddle control-plane server already running at " + live.get().endpointUrl());
        terminal.line("serverId=" + live.get().serverId());
        return OptionalInt.of(Heddle.OK);
    }

    /** True only for {@code daemon} command lines the full parser certainly accepts, without a force flag. */
    static boolean accepts(String[] args) {
        if (args.length == 0 || !"daemon".equals(args[0])) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
                if (!VALUE_OPTIONS.contains(name)) {
                    return false;
                }
            } else if (VALUE_OPTIONS.contains(arg)) {
                if (i + 1 >= args.length) {
                    return false;
                }
                name = arg;
                value = args[++i];
            } else if (FLAG_OPTIONS.contains(arg)) {
                name = arg;
            } else {
                return false;
            }
            if (!seen.add(name)) {
                return false;
            }
            if (value != null && !wellFormed(name, value)) {
                return false;
            }
        }
        return !(seen.contains("--assets-dir") && seen.contains("--no-assets"));
    }

    private static boolean wellFormed(String name, String value) {
        if (value.isBlank() || value.startsWith("-") || value.startsWith("@")) {
            return false;
        }
        if (name.equals("--port")) {
            return value.matches("[0-9]{1,5}") && Integer.parseInt(value) <= 65535;
        }
        return true;
    }
}
