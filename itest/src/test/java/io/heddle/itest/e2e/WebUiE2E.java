package io.heddle.itest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.RawHttp;
import io.heddle.itest.support.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;

/**
 * The web UI as the distribution serves it: the bundled UI by default, a folder with
 * {@code --assets-dir}, none with {@code --no-assets}; and {@code heddle open}.
 */
public class WebUiE2E {

    @Rule
    public final HeddleSandboxes sandboxes = new HeddleSandboxes();

    private static List<Path> tokenFiles(HeddleSandbox sandbox) throws java.io.IOException {
        Path run = sandbox.home().resolve("run");
        if (!Files.isDirectory(run)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(run)) {
            return files.filter(p -> p.toString().endsWith(".token")).collect(java.util.stream.Collectors.toList());
        }
    }

    private static void stop(HeddleSandbox sandbox, HeddleRun daemon) throws Exception {
        HeddleRun stop = sandbox.run("stop");
        assertThat(stop.process().exitValue()).as(stop.report()).isZero();
        daemon.awaitExit(HeddleSandbox.EXIT_DEADLINE);
    }

    @Test
    public void anAssetsFolderWithoutIndexExitsOneWithOneLineAndLeavesNoRecord() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("web-no-index");
        Path ui = Files.createDirectories(sandbox.home().resolve("ui"));
        Files.writeString(ui.resolve("app.js"), "console.log(1)");

        HeddleRun daemon = sandbox.run(
                "daemon",
                "--workspace",
                sandbox.workspace().toString(),
                "--port",
                Integer.toString(Sockets.freePort()),
                "--assets-dir",
                ui.toString());

        assertThat(daemon.process().exitValue()).as(daemon.report()).isEqualTo(1);
        assertThat(daemon.stderr()).as(daemon.report()).hasSize(1);
        assertThat(daemon.stderr().get(0))
                .startsWith("heddle: Web assets not found at " + ui.toRealPath())
                .contains("no index.html")
                .contains("--no-assets");
        assertThat(daemon.stdout()).isEmpty();
        assertThat(sandbox.liveRecord()).isEmpty();
        assertThat(sandbox.cacheFolders()).isEmpty();
        assertThat(tokenFiles(sandbox)).isEmpty();
    }

    @Test
    public void noAssetsServesTheApiOnly() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("web-none");
        int port = Sockets.freePort();
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(port), "--no-assets");

        RawHttp.Response page = RawHttp.get(port, "/");
        RawHttp.Response route = RawHttp.get(port, "/tasks");

        assertThat(page.status).isEqualTo(404);
        assertThat(page.headers.get("content-type")).startsWith("application/json");
        assertThat(page.body).contains("\"code\":\"not_found\"").contains("--no-assets");
        assertThat(route.status).isEqualTo(404);
        assertThat(RawHttp.get(port, "/api/health").status).isEqualTo(200);
        stop(sandbox, daemon);
    }

    @Test
    public void theDefaultServesTheUiAndOpenPrintsAUrlThatSignsIn() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("web-default");
        int port = Sockets.freePort();
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(port));

        RawHttp.Response page = RawHttp.get(port, "/");
        assertThat(page.status).isEqualTo(200);
        assertThat(page.headers.get("content-type")).startsWith("text/html");
        assertThat(page.body).contains("/assets/v-");
        assertThat(RawHttp.get(port, "/workspaces/x").body).isEqualTo(page.body);

        HeddleRun open = sandbox.run("open", "--print");
        assertThat(open.process().exitValue()).as(open.report()).isZero();
        assertThat(open.stdout()).as(open.report()).hasSize(1);
        String url = open.stdout().get(0);
        String token = Files.readString(
                        sandbox.home()
                                .resolve("run")
                                .resolve(sandbox.liveRecord().orElseThrow().serverId() + ".token"),
                        StandardCharsets.UTF_8)
                .trim();
        assertThat(url).isEqualTo("http://127.0.0.1:" + port + "/?token=" + token);

        RawHttp.Response trade = RawHttp.get(port, url.substring(("http://127.0.0.1:" + port).length()));
        assertThat(trade.status).isEqualTo(303);
        assertThat(trade.headers.get("location")).isEqualTo("/");
        String cookie = trade.headers.get("set-cookie").split(";")[0];
        assertThat(cookie).isEqualTo("heddle_token=" + token);
        assertThat(RawHttp.get(port, "/api/session").body).isEqualTo("{\"signedIn\":false}");
        assertThat(RawHttp.send(port, "GET", "/api/session", Map.of("Cookie", cookie), null).body)
                .isEqualTo("{\"signedIn\":true}");
        stop(sandbox, daemon);
    }

    @Test
    public void openHandsTheUrlToTheDesktopOpener() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("web-opener");
        int port = Sockets.freePort();
        HeddleRun daemon = sandbox.startDaemon("--port", Integer.toString(port));
        Path bin = Files.createDirectories(sandbox.home().resolve("fake-bin"));
        Path opened = sandbox.home().resolve("opened.txt");
        Path opener = Files.writeString(
                bin.resolve("xdg-open"),
                "#!/bin/sh\nprintf '%s\\n' \"$1\" > '" + opened + ".tmp' && mv '" + opened + ".tmp' '" + opened
                        + "'\n");
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwxr-xr-x"));

        HeddleRun open = sandbox.startRaw(
                List.of("sh", "-c", "PATH='" + bin + "':\"$PATH\" exec '" + HeddleSandbox.executable() + "' open"));
        open.awaitExit(HeddleSandbox.EXIT_DEADLINE);

        assertThat(open.process().exitValue()).as(open.report()).isZero();
        assertThat(open.stdout()).as(open.report()).hasSize(1);
        Poll.until("the opener got the URL", Duration.ofSeconds(10), () -> Files.exists(opened));
        assertThat(Files.readString(opened).trim())
                .isEqualTo(open.stdout().get(0))
                .startsWith("http://127.0.0.1:" + port + "/?token=");
        stop(sandbox, daemon);
    }

    @Test
    public void openWithNothingRunningExitsThreeWithOneLine() throws Exception {
        HeddleSandbox sandbox = sandboxes.create("web-open-none");

        HeddleRun open = sandbox.run("open", "--print");

        assertThat(open.process().exitValue()).as(open.report()).isEqualTo(3);
        assertThat(open.stderr()).as(open.report()).hasSize(1);
        assertThat(open.stderr().get(0))
                .startsWith("heddle: No Heddle server is running")
                .contains("heddle daemon");
        assertThat(open.stdout()).isEmpty();
    }
}
