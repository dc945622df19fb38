package io.heddle.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heddle.api.lifecycle.ServerHandle;
import io.heddle.api.lifecycle.ServerStartException;
import io.heddle.api.registry.ServerMode;
import io.heddle.api.web.WebAssets;
import io.heddle.itest.support.Poll;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/** The io.heddle.web bundle's UI, served by a server with the default (bundled) assets. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebBundleIT extends InContainerTestBase {

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    @Inject
    private WebAssets webAssets;

    private ServerHandle server;

    @Configuration
    public Option[] config() {
        return TestSupport.platform(TestSupport.newHome("web-bundle"));
    }

    @Before
    public void start() throws Exception {
        Path ws = newFolder("ws");
        server = start(localOptions(ServerMode.DAEMON, ws));
    }

    @After
    public void close() {
        if (webBundle().getState() != Bundle.ACTIVE) {
            try {
                webBundle().start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Bundle webBundle() {
        return Arrays.stream(context.getBundles())
                .filter(b -> "io.heddle.web".equals(b.getSymbolicName()))
                .findFirst()
                .orElseThrow();
    }

    private RawHttp.Response get(String path, Map<String, String> headers) throws IOException {
        return RawHttp.send(server.port(), "GET", path, headers, null);
    }

    private int status(String path) {
        try {
            return get(path, Map.of()).status;
        } catch (IOException e) {
            return -1;
        }
    }

    private String version() {
        return webAssets.contentHash().substring(0, 16);
    }

    /** The first versioned asset URL the page refers to. */
    private String firstAssetUrl(String page) {
        Matcher m = Pattern.compile("/assets/v-" + version() + "/[^\"')\\s]+").matcher(page);
        assertThat(m.find())
                .as("index.html refers to a fingerprinted asset: %s", page)
                .isTrue();
        return m.group();
    }

    @Test
    public void theRootAndClientRoutesServeIndexWithFingerprintedAssets() throws Exception {
        RawHttp.Response root = get("/", Map.of());
        RawHttp.Response route = get("/workspaces/ws-1/tasks", Map.of());

        assertThat(root.status).isEqualTo(200);
        assertThat(root.headers.get("content-type")).startsWith("text/html");
        assertThat(root.headers.get("cache-control")).isEqualTo("no-cache");
        assertThat(root.body).contains("/assets/v-" + version() + "/").doesNotContain("\"/assets/" + "placeholder");
        assertThat(route.status).isEqualTo(200);
        assertThat(route.body).isEqualTo(root.body);
    }

    @Test
    public void aVersionedAssetIsTheBundlesFileCachedAsImmutable() throws Exception {
        String url = firstAssetUrl(get("/", Map.of()).body);
        String file = "assets/" + url.substring(("/assets/v-" + version() + "/").length());

        RawHttp.Response versioned = get(url, Map.of());
        RawHttp.Response plain = get("/" + file, Map.of());

        assertThat(versioned.status).isEqualTo(200);
        assertThat(versioned.headers.get("cache-control")).isEqualTo(IMMUTABLE);
        assertThat(versioned.body).isEqualTo(new String(webAssets.read(file).orElseThrow(), StandardCharsets.UTF_8));
        assertThat(plain.status).isEqualTo(200);
        assertThat(plain.headers.get("cache-control")).isEqualTo("no-cache");
        assertThat(plain.headers.get("etag")).isEqualTo(versioned.headers.get("etag"));
        // an outdated version is still served, but never cached for long
        RawHttp.Response stale = get("/assets/v-0000000000000000/" + file.substring("assets/".length()), Map.of());
        assertThat(stale.status).isEqualTo(200);
        assertThat(stale.headers.get("cache-control")).isEqualTo("no-cache");
        RawHttp.Response missing = get("/assets/no-such-file.js", Map.of());
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.headers.get("content-type")).startsWith("application/json");
    }

    @Test
    public void anUnchangedFileAnswers304ToItsEtag() throws Exception {
        RawHttp.Response first = get("/", Map.of());
        String etag = first.headers.get("etag");
        assertThat(etag).matches("\"[0-9a-f]+\"");

        RawHttp.Response again = get("/", Map.of("If-None-Match", etag));
        RawHttp.Response other = get("/", Map.of("If-None-Match", "\"something-else\""));

        assertThat(again.status).isEqualTo(304);
        assertThat(again.body).isEmpty();
        assertThat(again.headers.get("etag")).isEqualTo(etag);
        assertThat(other.status).isEqualTo(200);
    }

    @Test
    public void clientsThatAcceptGzipGetTheSameBytesGzipped() throws Exception {
        byte[] identity = fetch("/", null);
        HttpURLConnection zipped = open("/", "gzip, deflate");
        byte[] compressed;
        try (InputStream in = zipped.getInputStream()) {
            compressed = in.readAllBytes();
        }

        assertThat(zipped.getHeaderField("Content-Encoding")).isEqualTo("gzip");
        assertThat(zipped.getHeaderField("Vary")).contains("Accept-Encoding");
        assertThat(compressed.length).isLessThan(identity.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(identity);
        }
    }

    @Test
    public void stoppingTheWebBundleTakesThePagesAwayButNotTheApi() throws Exception {
        webBundle().stop();
        Poll.until("the pages are gone", Duration.ofSeconds(10), () -> status("/") == 404);

        RawHttp.Response page = get("/", Map.of());
        assertThat(page.headers.get("content-type")).startsWith("application/json");
        assertThat(page.body).contains("io.heddle.web");
        assertThat(get("/api/health", Map.of()).status).isEqualTo(200);

        webBundle().start();
        Poll.until("the pages are back", Duration.ofSeconds(10), () -> status("/") == 200);
    }

    @Test
    public void withoutTheWebBundleABundledStartFailsBeforeBindingAndLeavesNoRecord() throws Exception {
        String liveBefore = registry.read().server().map(s -> s.serverId()).orElse(null);
        webBundle().stop();
        Path ws = newFolder("ws");
        int runtimes = TestSupport.httpRuntimes(context).size();

        assertThatThrownBy(() ->
                        lifecycle.start(localOptions(ServerMode.DAEMON, ws).withServerId("daemon-without-ui")))
                .isInstanceOfSatisfying(ServerStartException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ServerStartException.Reason.ASSETS_MISSING);
                    assertThat(e.getMessage()).contains("io.heddle.web").contains("--no-assets");
                });
        assertThat(TestSupport.httpRuntimes(context)).hasSize(runtimes);
        assertThat(registry.read().server().map(s -> s.serverId()).orElse(null)).isEqualTo(liveBefore);
    }

    @Test
    public void theTokenUrlSetsTheCookieAndDropsTheTokenAndTheSessionSaysSignedIn() throws Exception {
        RawHttp.Response anonymous = get("/api/session", Map.of());
        RawHttp.Response trade = get("/?token=" + server.token(), Map.of());

        assertThat(anonymous.status).isEqualTo(200);
        assertThat(anonymous.body).isEqualTo("{\"signedIn\":false}");
        assertThat(trade.status).isEqualTo(303);
        assertThat(trade.headers.get("location")).isEqualTo("/");
        String cookie = trade.headers.get("set-cookie");
        assertThat(cookie)
                .startsWith("heddle_token=" + server.token())
                .containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        assertThat(get("/api/session", Map.of("Cookie", "heddle_token=" + server.token())).body)
                .isEqualTo("{\"signedIn\":true}");
        assertThat(get("/api/session", Map.of("Cookie", "heddle_token=wrong")).body)
                .isEqualTo("{\"signedIn\":false}");
        assertThat(get("/api/session", Map.of("Authorization", "Bearer " + server.token())).body)
                .isEqualTo("{\"signedIn\":true}");
    }

    @Test
    public void apiDocsIsSwaggerUiOnThisServersDocumentWithAPolicyThatAllowsOnlyThisServer() throws Exception {
        RawHttp.Response page = get("/api/docs", Map.of());

        assertThat(page.status).isEqualTo(200);
        assertThat(page.headers.get("content-type")).startsWith("text/html");
        String policy = page.headers.get("content-security-policy");
        assertThat(policy)
                .contains("default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("http", "unsafe-eval", "*");
        assertThat(page.body)
                .contains("/api/docs/swagger-ui-bundle.js", "/api/docs/init.js")
                .doesNotContain("<script>", "//cdn", "https://");
        RawHttp.Response init = get("/api/docs/init.js", Map.of());
        assertThat(init.body).contains("url: '/api/openapi.json'", "validatorUrl: null");
        RawHttp.Response bundle = get("/api/docs/swagger-ui-bundle.js", Map.of());
        assertThat(bundle.status).isEqualTo(200);
        assertThat(bundle.body).contains("SwaggerUIBundle");
        assertThat(bundle.headers.get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(get("/api/docs/swagger-ui.css", Map.of()).status).isEqualTo(200);
    }

    @Test
    public void apiDocsFilesAnswer304ToTheirEtagAndUnknownFilesAJson404() throws Exception {
        RawHttp.Response first = get("/api/docs/swagger-ui-bundle.js", Map.of());
        String etag = first.headers.get("etag");

        RawHttp.Response again = get("/api/docs/swagger-ui-bundle.js", Map.of("If-None-Match", etag));

        assertThat(again.status).isEqualTo(304);
        assertThat(again.body).isEmpty();
        RawHttp.Response missing = get("/api/docs/petstore.json", Map.of());
        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body).contains("\"code\":\"not_found\"");
        assertThat(RawHttp.send(
                                server.port(),
                                "POST",
                                "/api/docs",
                                Map.of("Authorization", "Bearer " + server.token()),
                                null)
                        .status)
                .isEqualTo(405);
    }

    @Test
    public void theOpenApiDocumentIsServedAsJsonAndIsTheRepositorysContract() throws Exception {
        RawHttp.Response document = get("/api/openapi.json", Map.of());

        assertThat(document.status).isEqualTo(200);
        assertThat(document.headers.get("content-type")).startsWith("application/json");
        com.fasterxml.jackson.databind.JsonNode served =
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(document.body);
        com.fasterxml.jackson.databind.JsonNode repository = OpenApiContract.read(OpenApiContract.documentPath());
        assertThat(served.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(served.get("paths")).isEqualTo(repository.get("paths"));
        assertThat(served.get("components")).isEqualTo(repository.get("components"));
    }

    private HttpURLConnection open(String path, String acceptEncoding) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + path).openConnection();
        if (acceptEncoding != null) {
            c.setRequestProperty("Accept-Encoding", acceptEncoding);
        }
        return c;
    }

    private byte[] fetch(String path, String acceptEncoding) throws IOException {
        HttpURLConnection c = open(path, acceptEncoding);
        try (InputStream in = c.getInputStream()) {
            assertThat(c.getHeaderField("Content-Encoding")).isNull();
            return in.readAllBytes();
        }
    }
}
