package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.registry.WorkspaceEntry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;

/** Starts that must fail with the right exit code, and starts that must survive a damaged registry. */
public class StartFailureE2E {

    @Rule
    public final HeddleSandboxes sandboxes = new HeddleSandboxes();

    @Test
    public void portHeldByAnotherProgramIsExitOneWithNoRecordLeft() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("port-in-use");
        try (ServerSocket foreign = new ServerSocket()) {
            foreign.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = foreign.getLocalPort();

            HeddleRun daemon = sandbox.run(
                    "daemon", "--workspace", sandbox.workspace().toString(), "--port", Integer.toString(port));

            assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
            assertThat(daemon.stderr()).hasSize(1);
            assertThat(daemon.stderr().get(0))
                    .startsWith("heddle: Port " + port)
                    .contains("already in use")
                    .contains("--port");
            assertThat(daemon.stdout()).isEmpty();
            assertThat(sandbox.liveRecord()).isEmpty();
            assertThat(sandbox.cacheFolders()).isEmpty();
        }
    }

    @Test
    public void usageErrorsExitTwoWithOneLineNamingTheCause() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("usage");
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("daemon", "--port", "abc"), "'abc' is not a port number");
        cases.put(List.of("daemon", "--port", "70000"), "'70000' is not a port number");
        cases.put(List.of("daemon", "--port", "0x1"), "'0x1' is not a port number");
        cases.put(List.of("daemon", "--bogus"), "Unknown option: '--bogus'");
        cases.put(List.of("stop", "--timeout", "soon"), "'soon' is not a number of seconds");
        cases.put(List.of("daemon", "--port", " 80"), "' 80' is not a port number");
        cases.put(List.of("daemon", "--workspace", ""), "--workspace is empty");
        cases.put(List.of("daemon", "--state-dir", ""), "--state-dir is empty");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            HeddleRun run = sandbox.run(c.getKey().toArray(new String[0]));
            assertThat(run.process().exitValue()).as(run.report()).isEqualTo(2);
            assertThat(run.stderr()).as(run.report()).isNotEmpty();
            assertThat(run.stderr().get(0)).as(run.report()).contains(c.getValue());
            assertThat(run.stderr())
                    .as(run.report())
                    .anySatisfy(l -> assertThat(l).startsWith("Usage: heddle "));
            assertThat(run.stdout()).as(run.report()).isEmpty();
        }
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(sandbox.cacheFolders()).isEmpty();
    }

    @Test
    public void fileGivenAsWorkspaceSaysItIsAFile() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("workspace-file");
        Path file = Files.writeString(sandbox.home().resolve("notes.txt"), "not a folder", StandardCharsets.UTF_8);

        HeddleRun daemon = sandbox.run("daemon", "--workspace", file.toString(), "--port", "0");

        assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
        assertThat(daemon.stderr())
                .as(daemon.report())
                .containsExactly(
                        "heddle: The workspace " + file + " is a file, not a folder. Pass --workspace with a folder.");
        assertThat(daemon.stdout()).isEmpty();
    }

    /**
     * A read-only workspace (a read-only tmpfs: the tests run as root, where chmod does not stop
     * writes): one line naming the state folder, the OS's cause and the fix; no stack trace on
     * either stream, no record, no cache left.
     */
    @Test
    public void unwritableWorkspaceNamesTheCauseInOneLine() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("workspace-read-only");
        SmallTmpfs readOnly = SmallTmpfs.mount(sandbox.home().resolve("read-only-workspace"), "ro,size=1m");
        Assume.assumeTrue("mounting a tmpfs is not allowed here", readOnly != null);
        try (readOnly) {
            HeddleRun daemon =
                    sandbox.run("daemon", "--workspace", readOnly.dir().toString(), "--port", "0");

            assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
            assertThat(daemon.stderr())
                    .as(daemon.report())
                    .containsExactly("heddle: Cannot write the workspace state"
                            + " folder " + readOnly.dir().resolve(".heddle") + " ("
                            + readOnly.dir().resolve(".heddle")
                            + ": Read-only file system). Make it writable for you, or pass --workspace with a folder you can"
                            + " write to.");
            assertThat(daemon.stdout()).as(daemon.report()).isEmpty();
            assertThat(sandbox.liveRecord()).isEmpty();
            assertThat(sandbox.cacheFolders()).isEmpty();
        }
    }

    /**
     * A workspace on a full disk: the state folder can be created (tmpfs folders take no space),
     * the first write inside the server fails. One line says the disk is full; the log backend,
     * unable to write server.log either, prints nothing.
     */
    @Test
    public void fullWorkspaceDiskSaysSoInOneLine() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("workspace-full");
        SmallTmpfs full = SmallTmpfs.mount(sandbox.home().resolve("full-workspace"), "size=1m");
        Assume.assumeTrue("mounting a tmpfs is not allowed here", full != null);
        try (full) {
            full.fill("filler");

            HeddleRun daemon = sandbox.run("daemon", "--workspace", full.dir().toString(), "--port", "0");

            assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
            assertThat(daemon.stderr()).as(daemon.report()).hasSize(1);
            assertThat(daemon.stderr().get(0))
                    .as(daemon.report())
                    .startsWith("heddle: Cannot write the workspace state folder "
                            + full.dir().resolve(".heddle"))
                    .contains("No space left on device")
                    .endsWith("Free space on that disk, or pass --workspace with" + " a folder on another disk.");
            assertThat(daemon.stdout()).as(daemon.report()).isEmpty();
            assertThat(sandbox.liveRecord()).isEmpty();
            assertThat(sandbox.cacheFolders()).isEmpty();
        }
    }

    /** A full {@code $HEDDLE_HOME/cache}: one line naming the cache and the full disk, not "rebuild the distribution". */
    @Test
    public void fullBundleCacheSaysSoInOneLine() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("cache-full");
        SmallTmpfs cache = SmallTmpfs.mount(sandbox.home().resolve("cache"), "size=1m");
        Assume.assumeTrue("mounting a tmpfs is not allowed here", cache != null);
        try (cache) {
            cache.fill("filler");

            HeddleRun daemon =
                    sandbox.run("daemon", "--workspace", sandbox.workspace().toString(), "--port", "0");

            assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
            assertThat(daemon.stderr())
                    .as(daemon.report())
                    .containsExactly("heddle: Cannot write the bundle cache "
                            + cache.dir()
                            + " (No space left on device). Free space on that disk, or point HEDDLE_HOME at a"
                            + " folder on another disk.");
            assertThat(daemon.stdout()).as(daemon.report()).isEmpty();
            assertThat(sandbox.liveRecord()).isEmpty();
            assertThat(sandbox.cacheFolders()).containsExactly("filler");
        }
    }

    /** A read-only {@code $HEDDLE_HOME/cache}: one line naming the cache, the OS's cause and the fix. */
    @Test
    public void readOnlyBundleCacheSaysSoInOneLine() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("cache-read-only");
        SmallTmpfs cache = SmallTmpfs.mount(sandbox.home().resolve("cache"), "ro,size=1m");
        Assume.assumeTrue("mounting a tmpfs is not allowed here", cache != null);
        try (cache) {
            HeddleRun daemon =
                    sandbox.run("daemon", "--workspace", sandbox.workspace().toString(), "--port", "0");

            assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
            assertThat(daemon.stderr()).as(daemon.report()).hasSize(1);
            assertThat(daemon.stderr().get(0))
                    .as(daemon.report())
                    .startsWith(
                            "heddle: Cannot write the bundle cache " + cache.dir() + " (" + cache.dir() + "/daemon-")
                    .endsWith(": Read-only file system). Make it writable for you, or point HEDDLE_HOME at a folder"
                            + " you own.");
            assertThat(daemon.stdout()).as(daemon.report()).isEmpty();
            assertThat(sandbox.liveRecord()).isEmpty();
        }
    }

    /**
     * Four damaged registries, one daemon each, started together: each starts; an unreadable
     * file is kept as daemon-registry.json.corrupt-*; a bad workspace entry is dropped alone.
     */
    @Test
    public void damagedRegistriesDoNotStopAStart() throws Exception {
        Map<String, String> corrupt = new LinkedHashMap<>();
        corrupt.put("garbage", "this is not json at all \u0000\u0001");
        corrupt.put("truncated", "{\"version\":1,\"server\":{\"serverId\":\"daemon-1-2\",\"mode\":\"dae");
        corrupt.put("empty", "");

        Map<String, HeddleSandbox> boxes = new LinkedHashMap<>();
        Map<String, HeddleRun> daemons = new LinkedHashMap<>();
        for (Map.Entry<String, String> c : corrupt.entrySet()) {
            HeddleSandbox box = sandboxes.create("registry-" + c.getKey());
            Files.writeString(box.registryFile(), c.getValue(), StandardCharsets.UTF_8);
            boxes.put(c.getKey(), box);
        }
        HeddleSandbox partial = sandboxes.create("registry-bad-entry");
        Files.writeString(
                partial.registryFile(),
                "{\"version\":1,\"workspaces\":["
                        + entry("ws-good-1", "/src/one") + ","
                        + "{\"workspace\":{\"name\":\"no id, no roots\"},\"updatedAt\":\"2026-01-01T00:00:00.000Z\"},"
                        + entry("ws-good-2", "/src/two") + "]}",
                StandardCharsets.UTF_8);
        boxes.put("bad-entry", partial);

        for (Map.Entry<String, HeddleSandbox> box : boxes.entrySet()) {
            daemons.put(
                    box.getKey(),
                    box.getValue()
                            .start(
                                    "daemon",
                                    "--workspace",
                                    box.getValue().workspace().toString(),
                                    "--port",
                                    "0"));
        }
        for (Map.Entry<String, HeddleRun> d : daemons.entrySet()) {
            d.getValue().awaitStartLines(HeddleSandbox.START_DEADLINE);
            HeddleSandbox box = boxes.get(d.getKey());
            assertThat(box.liveRecord())
                    .as(d.getKey())
                    .hasValueSatisfying(
                            r -> assertThat(r.pid()).isEqualTo(d.getValue().pid()));
        }
        for (String name : corrupt.keySet()) {
            HeddleSandbox box = boxes.get(name);
            assertThat(box.homeFiles("daemon-registry.json.corrupt-")).as(name).hasSize(1);
            assertThat(Files.readString(
                            box.homeFiles("daemon-registry.json.corrupt-").get(0), StandardCharsets.UTF_8))
                    .as(name)
                    .isEqualTo(corrupt.get(name));
        }
        List<String> ids = partial.snapshot().workspaces().stream()
                .map(WorkspaceEntry::workspace)
                .map(w -> w.id())
                .collect(Collectors.toList());
        assertThat(ids).contains("ws-good-1", "ws-good-2").hasSize(3);
        assertThat(partial.homeFiles("daemon-registry.json.corrupt-")).isEmpty();

        for (HeddleRun daemon : daemons.values()) {
            daemon.sigterm();
        }
        for (HeddleRun daemon : daemons.values()) {
            assertThat(daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE))
                    .as(daemon.report())
                    .isZero();
        }
    }

    private static String entry(String id, String root) {
        return "{\"workspace\":{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"workspaceRoot\":\"" + root + "\","
                + "\"repoRoots\":[\"" + root + "\"],\"stateRoot\":\"" + root + "/.heddle\","
                + "\"createdAt\":\"2026-01-01T00:00:00.000Z\",\"updatedAt\":\"2026-01-01T00:00:00.000Z\"},"
                + "\"updatedAt\":\"2026-01-01T00:00:00.000Z\"}";
    }
}
