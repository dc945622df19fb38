package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.RegistrySnapshot;
import io.heddle.api.registry.ServerRecord;
import io.heddle.itest.OpenApiContract;
import io.heddle.itest.TestSupport;
import io.heddle.itest.support.RawHttp;
import io.heddle.registry.internal.FileDaemonRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A private {@code HEDDLE_HOME} and workspace for end-to-end tests, and every {@code heddle}
 * process started in it; {@link #close()} kills whatever is still running (children included).
 */
public final class HeddleSandbox implements AutoCloseable {

    static final Duration START_DEADLINE = Duration.ofSeconds(60);
    static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path home;
    private final Path workspace;
    private final List<HeddleRun> runs = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> extra = new CopyOnWriteArrayList<>();

    public HeddleSandbox(String name) {
        this.home = TestSupport.newHome(name);
        try {
            this.workspace = Files.createDirectories(home.resolve("workspace"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path distribution() {
        Path dist = TestSupport.distribution();
        if (!Files.isExecutable(dist.resolve("bin").resolve("heddle"))) {
            throw new IllegalStateException("No distribution at " + dist + ": run 'mvn package' first");
        }
        return dist;
    }

    static Path executable() {
        return distribution().resolve("bin").resolve("heddle");
    }

    public Path home() {
        return home;
    }

    public Path workspace() {
        return workspace;
    }

    Path registryFile() {
        return home.resolve("daemon-registry.json");
    }

    ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile());
        builder.environment().put("HEDDLE_HOME", home.toString());
        builder.environment().remove("HEDDLE_DEBUG");
        builder.environment().remove("HEDDLE_JAVA_OPTS");
        return builder;
    }

    /** Starts {@code heddle <args>}. */
    public HeddleRun start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(Arrays.asList(args));
        return track(builder(command).start(), String.join(" ", command));
    }

    /** Starts a process (e.g. {@code sh -c ...}) with this sandbox's environment. */
    HeddleRun startRaw(List<String> command) throws IOException {
        return track(builder(command).start(), String.join(" ", command));
    }

    private HeddleRun track(Process process, String description) {
        HeddleRun run = new HeddleRun(process, description + " [HEDDLE_HOME=" + home + "]");
        runs.add(run);
        return run;
    }

    /** Runs {@code heddle <args>} to its end. */
    public HeddleRun run(String... args) throws IOException, InterruptedException {
        HeddleRun run = start(args);
        run.awaitExit(EXIT_DEADLINE);
        return run;
    }

    /** Starts {@code heddle daemon --workspace <ws> <args>} and waits for its five lines. */
    public HeddleRun startDaemon(String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("daemon", "--workspace", workspace.toString()));
        all.addAll(Arrays.asList(args));
        HeddleRun run = start(all.toArray(new String[0]));
        run.awaitStartLines(START_DEADLINE);
        return run;
    }

    /** Also kill this process (and its children) on close. */
    void killOnClose(ProcessHandle process) {
        extra.add(process);
    }

    FileDaemonRegistry registry() {
        return FileDaemonRegistry.open(registryFile(), Duration.ofSeconds(45), warning -> {});
    }

    RegistrySnapshot snapshot() {
        return registry().read();
    }

    Optional<ServerRecord> liveRecord() {
        return snapshot().server();
    }

    /** The folders under {@code cache/} (one per running daemon). */
    List<String> cacheFolders() throws IOException {
        Path cache = home.resolve("cache");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(cache)) {
            return entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    /** Files next to the registry whose name starts with {@code prefix}. */
    List<Path> homeFiles(String prefix) throws IOException {
        try (Stream<Path> entries = Files.list(home)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .collect(Collectors.toList());
        }
    }

    /**
     * {@code "<status> <body>"} of a GET of {@code path} on {@code server}, or {@code "-1 <exception>"}
     * when it cannot be reached: for polls that wait until a server answers.
     */
    static String statusAndBody(ServerRecord server, String path) {
        try {
            RawHttp.Response response = RawHttp.get(server.port(), path);
            return response.status + " " + response.body;
        } catch (IOException e) {
            return "-1 " + e;
        }
    }

    /** The server's log files ({@code <workspace>/.heddle/logs}); fails the test when there is none. */
    public List<Path> logFiles() throws IOException {
        Path logs = workspace.resolve(".heddle").resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            List<Path> found = files.filter(Files::isRegularFile).toList();
            assertThat(found).as("log files in " + logs).isNotEmpty();
            return found;
        }
    }

    /**
     * {@code method path} on {@code server}, a server of this sandbox, with its token (read from
     * {@code run/<serverId>.token}) and {@code body} as JSON unless null, answered within
     * {@code timeout}; the answer is checked against the OpenAPI document ({@link OpenApiContract}).
     */
    public HttpResponse<String> call(ServerRecord server, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = request(server, method, path, body, timeout);
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        OpenApiContract.check(request, response);
        return response;
    }

    /** As {@link #call}, but the answer is not checked against the OpenAPI document. */
    public HttpResponse<String> callUnchecked(
            ServerRecord server, String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        return HTTP.send(request(server, method, path, body, timeout), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(ServerRecord server, String method, String path, String body, Duration timeout)
            throws IOException {
        String token = Files.readString(home.resolve("run").resolve(server.serverId() + ".token"))
                .trim();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.endpointUrl() + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.build();
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(extra);
        for (HeddleRun run : runs) {
            all.add(run.process().toHandle());
        }
        for (ProcessHandle p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: nothing else can be done for a process that does not die
            }
        }
    }
}
