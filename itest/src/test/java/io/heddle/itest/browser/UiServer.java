package io.heddle.itest.browser;

import io.heddle.itest.TestSupport;
import io.heddle.itest.e2e.HeddleRun;
import io.heddle.itest.e2e.HeddleSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A real {@code heddle daemon} (the distribution, as a process) serving the web UI, for browser tests. */
final class UiServer implements AutoCloseable {

    /** How the daemon is told which web UI to serve: none, so it serves the {@code web} bundle's, as users get it. */
    static final List<String> ASSET_ARGS = List.of();

    private static final String LISTENING = "Heddle server listening at http://";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HeddleSandbox sandbox;
    private HeddleRun daemon;
    private final String base;

    private UiServer(HeddleSandbox sandbox, HeddleRun daemon, String base) {
        this.sandbox = sandbox;
        this.daemon = daemon;
        this.base = base;
    }

    interface Setup {
        void prepare(Path home) throws IOException;
    }

    static UiServer start(String name, Setup setup) throws IOException, InterruptedException {
        HeddleSandbox sandbox = new HeddleSandbox(name);
        try {
            Files.createDirectories(sandbox.home().resolve("etc"));
            setup.prepare(sandbox.home());
            List<String> args = new ArrayList<>(List.of("--port", "0"));
            args.addAll(ASSET_ARGS);
            HeddleRun daemon = sandbox.startDaemon(args.toArray(new String[0]));
            String line = daemon.stdout().stream()
                    .filter(l -> l.startsWith(LISTENING))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no listening line" + daemon.report()));
            return new UiServer(
                    sandbox,
                    daemon,
                    line.substring("Heddle server listening at ".length()).trim());
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            sandbox.close();
            throw e;
        }
    }

    /** Stops the daemon (SIGTERM, as Ctrl-C would) and starts a new one on the same port. */
    void restart() throws IOException, InterruptedException {
        daemon.sigterm();
        int code = daemon.awaitExit(Duration.ofSeconds(30));
        if (code != 0) {
            throw new AssertionError("the daemon exited with " + code + daemon.report());
        }
        List<String> args = new ArrayList<>(List.of("--port", base.substring(base.lastIndexOf(':') + 1)));
        args.addAll(ASSET_ARGS);
        daemon = sandbox.startDaemon(args.toArray(new String[0]));
    }

    HeddleSandbox sandbox() {
        return sandbox;
    }

    HeddleRun daemon() {
        return daemon;
    }

    String base() {
        return base;
    }

    String url(String path) {
        return base + path;
    }

    String token() throws IOException {
        List<Path> files = TestSupport.tokenFiles(sandbox.home());
        if (files.size() != 1) {
            throw new AssertionError("expected one token file, found " + files);
        }
        return Files.readString(files.get(0)).trim();
    }

    /**
     * The tokened sign-in URL: what {@code heddle open --print} prints; where that command does
     * not exist yet, the same URL made from the server's token file.
     */
    String signInUrl() throws IOException, InterruptedException {
        HeddleRun open = sandbox.run("open", "--print");
        Optional<String> printed = open.process().exitValue() == 0
                ? open.stdout().stream().filter(l -> l.startsWith("http://")).findFirst()
                : Optional.empty();
        return printed.orElse(base + "/?token=" + token());
    }

    String workspaceId() throws IOException, InterruptedException {
        String json = call("GET", "/api/workspaces", null).body();
        return TestSupport.jsonString(json, "activeWorkspaceId");
    }

    /** A call with the server's token, as curl would make it. */
    HttpResponse<String> call(String method, String path, String json) throws IOException, InterruptedException {
        return call(method, path, json, new String[0]);
    }

    /** A call with the server's token and extra headers (name, value, name, value, ...). */
    HttpResponse<String> call(String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token());
        if (headers.length > 0) {
            request.headers(headers);
        }
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The status of GET /api/health, or -1 when nothing answers. */
    int health() {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/health"))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
