package io.heddle.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code heddle daemon} command lines parsed without picocli, for speed only: picocli is Java 5
 * bytecode, which the class-data-sharing archive cannot hold and the JVM verifies the slow way,
 * so loading it costs more than the whole attach path may take.
 *
 * <p>It answers only for command lines that {@link DaemonCommand} certainly parses without error
 * (its options, each at most once, well-formed values) and gives exactly the settings picocli
 * would give; a unit test holds both to that. Anything else (help, version, a bad or unknown
 * option, a doubtful value) answers empty, and picocli decides, with its usage messages.
 */
final class DaemonArgs {

    /** {@link DaemonCommand}'s options that take a value. */
    static final Set<String> VALUE_OPTIONS =
            Set.of("--host", "--port", "--workspace", "--state-dir", "--assets-dir", "--extensions-dir");
    /** {@link DaemonCommand}'s flags. */
    static final Set<String> FLAG_OPTIONS = Set.of("--no-assets", "--force-owner-conflict");

    private DaemonArgs() {}

    /** The settings of a certainly valid {@code daemon} command line; empty when picocli must decide. */
    static Optional<DaemonRun.Settings> parse(String[] args) {
        if (args.length == 0 || !"daemon".equals(args[0])) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String name;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2 && VALUE_OPTIONS.contains(arg.substring(0, eq))) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (VALUE_OPTIONS.contains(arg) && i + 1 < args.length) {
                name = arg;
                value = args[++i];
            } else if (FLAG_OPTIONS.contains(arg)) {
                name = arg;
                value = "";
            } else {
                return Optional.empty();
            }
            if (values.put(name, value) != null) {
                return Optional.empty();
            }
            if (VALUE_OPTIONS.contains(name) && !wellFormed(name, value)) {
                return Optional.empty();
            }
        }
        if (values.containsKey("--assets-dir") && values.containsKey("--no-assets")) {
            return Optional.empty();
        }
        return Optional.of(new DaemonRun.Settings(
                values.getOrDefault("--host", DaemonCommand.DEFAULT_HOST).trim(),
                Integer.parseInt(values.getOrDefault("--port", DaemonCommand.DEFAULT_PORT)),
                optionalPath(values.get("--workspace")),
                values.getOrDefault("--state-dir", DaemonCommand.DEFAULT_STATE_DIR),
                optionalPath(values.get("--assets-dir")),
                values.containsKey("--no-assets"),
                values.containsKey("--force-owner-conflict"),
                optionalPath(values.get("--extensions-dir"))));
    }

    /** (Plain code, no method reference: the attach path runs without java.lang.invoke.) */
    private static Optional<Path> optionalPath(String value) {
        return value == null ? Optional.empty() : Optional.of(Path.of(value));
    }

    /** One to five ASCII digits (a regular expression here would cost the attach path its compilation). */
    static boolean portDigits(String value) {
        if (value.isEmpty() || value.length() > 5) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean wellFormed(String name, String value) {
        if (value.isBlank() || !value.equals(value.trim()) || value.startsWith("-") || value.startsWith("@")) {
            return false;
        }
        if (name.equals("--port")) {
            return portDigits(value) && Integer.parseInt(value) <= 65535;
        }
        if (name.equals("--state-dir")) {
            return DaemonCommand.validStateDir(value);
        }
        if (name.equals("--workspace") || name.equals("--assets-dir") || name.equals("--extensions-dir")) {
            try {
                Path.of(value);
            } catch (RuntimeException invalidPath) {
                return false;
            }
        }
        return true;
    }
}
