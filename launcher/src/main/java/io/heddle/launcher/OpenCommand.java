package io.heddle.launcher;

import io.heddle.api.registry.ServerRecord;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heddle open}: the live server's web UI, signed in. Prints {@code http://H:P/?token=…}
 * (the page trades the token for a cookie and drops it from the address), then hands the URL
 * to the desktop's opener ({@code open} on macOS, {@code xdg-open} elsewhere) when there is one.
 */
@Command(
        name = "open",
        mixinStandardHelpOptions = true,
        versionProvider = HeddleVersion.class,
        description = {
            "Opens the live Heddle server's web UI in your browser, signed in: prints the URL with the server's"
                    + " token (http://HOST:PORT/?token=...) and hands it to xdg-open (or open on macOS) when one is"
                    + " installed.",
            "The page trades the token for a cookie and removes it from the address bar."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the URL was printed (and handed to the browser opener, unless --print)",
            "1:the registry or the server's token file could not be read",
            "2:usage error",
            "3:no server is running"
        })
final class OpenCommand implements Callable<Integer> {

    @Option(names = "--print", description = "Only print the URL; do not start a browser.")
    boolean printOnly;

    private final Terminal terminal;

    OpenCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        LiveServerLookup lookup = LiveServerLookup.open(terminal);
        ServerRecord server = lookup.requireFresh(
                "No Heddle server is running, so there is nothing to open." + " Start one with: heddle daemon");
        String url = signInUrl(server, lookup.token(server));
        terminal.line(url);
        if (!printOnly) {
            openInBrowser(url);
        }
        return Heddle.OK;
    }

    /** {@code http://host:port/?token=…}; a wildcard bind is reached through loopback. */
    static String signInUrl(ServerRecord server, String token) {
        String host = server.host();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.equals("::") || host.equals("[::]")) {
            host = "[::1]";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + server.port() + "/?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** Starts the desktop's opener on the URL and does not wait for it; says so when there is none. */
    private void openInBrowser(String url) {
        Optional<Path> opener = findOpener(System.getProperty("os.name", ""), System.getenv("PATH"));
        if (opener.isEmpty()) {
            terminal.problem("heddle: no browser opener (xdg-open or open) is installed; open the URL above in your"
                    + " browser.");
            return;
        }
        try {
            new ProcessBuilder(List.of(opener.get().toString(), url))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            terminal.problem("heddle: could not start " + opener.get() + " (" + e.getMessage()
                    + "); open the URL above in your browser.");
            terminal.trace(e);
        }
    }

    /** {@code open} on macOS, {@code xdg-open} elsewhere: the first executable of that name on {@code path}. */
    static Optional<Path> findOpener(String osName, String path) {
        String name = osName.toLowerCase(Locale.ROOT).startsWith("mac") ? "open" : "xdg-open";
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            } catch (RuntimeException invalidPath) {
                // a PATH entry that is no path: skip it
            }
        }
        return Optional.empty();
    }
}
