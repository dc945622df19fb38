package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.web.WebAssets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssetSiteTest {

    @TempDir
    Path base;

    /** A fixed set of files, as the web bundle offers them. */
    private static WebAssets files(Map<String, String> content, String hash) {
        return new WebAssets() {
            @Override
            public SortedSet<String> paths() {
                return new TreeSet<>(content.keySet());
            }

            @Override
            public Optional<byte[]> read(String path) {
                return Optional.ofNullable(content.get(path)).map(s -> s.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public String contentHash() {
                return hash;
            }
        };
    }

    private static String text(StaticFile file) {
        return new String(file.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theBundledIndexIsFingerprintedWithTheFirst16DigitsOfTheHash() {
        BundledAssetSite site = new BundledAssetSite(files(
                Map.of(
                        "index.html",
                        "<script type=\"module\" src=\"/assets/app.js\"></script>",
                        "assets/app.js",
                        "import './x.js';"),
                "0123456789abcdef0123456789abcdef"));

        assertThat(site.version()).isEqualTo("0123456789abcdef");
        assertThat(text(site.index()))
                .isEqualTo("<script type=\"module\" src=\"/assets/v-0123456789abcdef/app.js\"></script>");
        assertThat(site.file("assets/app.js").map(AssetSiteTest::text)).contains("import './x.js';");
        assertThat(site.file("assets/none.js")).isEmpty();
    }

    @Test
    void aBundleWithoutIndexHasNoIndex() {
        assertThat(new BundledAssetSite(files(Map.of("assets/app.js", "x"), "ab")).index())
                .isNull();
    }

    @Test
    void aFoldersVersionChangesWhenAFileChangesAndItsIndexFollows() throws Exception {
        Path root = Files.createDirectories(base.resolve("ui")).toRealPath();
        Files.writeString(root.resolve("index.html"), "<link href=\"/assets/app.css\">");
        Path css = Files.createDirectories(root.resolve("assets")).resolve("app.css");
        Files.writeString(css, "a{}");
        Files.setLastModifiedTime(css, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        DirectoryAssetSite site = new DirectoryAssetSite(root);
        String before = site.version();

        assertThat(site.version()).as("stable while nothing changes").isEqualTo(before);
        assertThat(text(site.index())).isEqualTo("<link href=\"/assets/v-" + before + "/app.css\">");

        Files.writeString(css, "a{color:red}");
        Files.setLastModifiedTime(css, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));

        assertThat(site.version()).isNotEqualTo(before).matches("[0-9a-f]{16}");
        assertThat(text(site.index())).contains("/assets/v-" + site.version() + "/app.css");
        assertThat(site.file("assets/app.css").map(AssetSiteTest::text)).contains("a{color:red}");
    }

    @Test
    void aFolderNeverServesWhatLiesOutsideIt() throws Exception {
        Path root = Files.createDirectories(base.resolve("ui")).toRealPath();
        Files.writeString(root.resolve("index.html"), "i");
        Files.writeString(base.resolve("secret.txt"), "s");
        Files.createSymbolicLink(root.resolve("link.txt"), base.resolve("secret.txt"));
        DirectoryAssetSite site = new DirectoryAssetSite(root);

        assertThat(site.file("../secret.txt")).isEmpty();
        assertThat(site.file("link.txt")).isEmpty();
        assertThat(site.file("index.html")).isPresent();
    }
}
