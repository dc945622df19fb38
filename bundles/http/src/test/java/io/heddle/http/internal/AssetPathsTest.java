package io.heddle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class AssetPathsTest {

    @Test
    void theRootAndPlainPathsNameTheirFile() {
        assertThat(AssetPaths.target("/")).isEqualTo(new AssetPaths.Target("index.html", null));
        assertThat(AssetPaths.target("/index.html").index()).isTrue();
        assertThat(AssetPaths.target("/assets/app.js")).isEqualTo(new AssetPaths.Target("assets/app.js", null));
        assertThat(AssetPaths.target("/assets/app.js").asset()).isTrue();
        assertThat(AssetPaths.target("/tasks/task-1").asset()).isFalse();
    }

    @Test
    void versionedAssetPathsNameTheFileUnderAssetsAndCarryTheVersion() {
        AssetPaths.Target t = AssetPaths.target("/assets/v-0123abcd/pages/tasks.js");

        assertThat(t.file()).isEqualTo("assets/pages/tasks.js");
        assertThat(t.version()).isEqualTo("0123abcd");
        assertThat(t.versioned()).isTrue();
        // not a version: taken as a plain path
        assertThat(AssetPaths.target("/assets/v-XYZ/app.js").versioned()).isFalse();
        assertThat(AssetPaths.target("/assets/v-0123/").versioned()).isFalse();
    }

    @Test
    void indexReferencesToAssetsGetTheVersionAndNothingElseChanges() {
        String html = "<link rel=\"stylesheet\" href=\"/assets/app.css\">"
                + "<script type=\"module\" src='/assets/app.js'></script>"
                + "<style>body{background:url(/assets/bg.svg)}</style>"
                + "<p>Files live in /assets/ on disk; see https://example.org/assets/x</p>";

        String out = new String(
                AssetPaths.fingerprint(html.getBytes(StandardCharsets.UTF_8), "abc123"), StandardCharsets.UTF_8);

        assertThat(out)
                .contains(
                        "href=\"/assets/v-abc123/app.css\"",
                        "src='/assets/v-abc123/app.js'",
                        "url(/assets/v-abc123/bg.svg)",
                        "Files live in /assets/ on disk",
                        "https://example.org/assets/x");
    }

    @Test
    void textFilesCarryGzipThatInflatesToTheBodyAndTagsPerRepresentation() throws Exception {
        byte[] js = "export const x = 1;\n".repeat(100).getBytes(StandardCharsets.UTF_8);

        StaticFile file = StaticFile.of("assets/app.js", js);

        assertThat(file.contentType()).isEqualTo("text/javascript;charset=utf-8");
        assertThat(file.gzip()).isNotNull().hasSizeLessThan(js.length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(file.gzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(js);
        }
        assertThat(file.etag()).matches("\"[0-9a-f]{32}\"");
        assertThat(file.gzipEtag()).isNotEqualTo(file.etag()).endsWith("-gz\"");
        assertThat(StaticFile.of("x.js", "export const x = 2;\n".repeat(100).getBytes(StandardCharsets.UTF_8))
                        .etag())
                .isNotEqualTo(file.etag());
    }

    @Test
    void imagesAndTinyFilesAreSentAsTheyAre() {
        assertThat(StaticFile.of("logo.png", new byte[4096]).gzip()).isNull();
        assertThat(StaticFile.of("a.css", "a{}".getBytes(StandardCharsets.UTF_8))
                        .gzip())
                .isNull();
        assertThat(StaticFile.of("README", new byte[1]).contentType()).isEqualTo("application/octet-stream");
    }
}
