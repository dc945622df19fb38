package io.heddle.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ApiDocsFilesTest {

    @Test
    void gzipIsSentOnlyWhenTheClientAcceptsIt() {
        assertThat(ApiDocsFiles.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(ApiDocsFiles.acceptsGzip("*")).isTrue();
        assertThat(ApiDocsFiles.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(ApiDocsFiles.acceptsGzip("br")).isFalse();
        assertThat(ApiDocsFiles.acceptsGzip(null)).isFalse();
    }

    @Test
    void anEtagMatchesStrongWeakOrAnyButNotAnother() {
        assertThat(ApiDocsFiles.etagMatches("\"abc\"", "\"abc\"")).isTrue();
        assertThat(ApiDocsFiles.etagMatches("W/\"abc\", \"x\"", "\"abc\"")).isTrue();
        assertThat(ApiDocsFiles.etagMatches("*", "\"abc\"")).isTrue();
        assertThat(ApiDocsFiles.etagMatches("\"abd\"", "\"abc\"")).isFalse();
        assertThat(ApiDocsFiles.etagMatches(null, "\"abc\"")).isFalse();
    }

    @Test
    void theGzippedBytesUnzipToTheFile() throws IOException {
        byte[] text = "function swagger() {}\n".repeat(50).getBytes(StandardCharsets.UTF_8);

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(ApiDocsFiles.gzip(text)))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }

    @Test
    void errorMessagesAreEscapedIntoJsonStrings() {
        assertThat(ApiDocsServlet.escape("a \"b\" \\ c\n")).isEqualTo("a \\\"b\\\" \\\\ c\\u000a");
    }

    @Test
    void thePagePolicyNamesNoOtherHost() {
        assertThat(ApiDocsServlet.PAGE_POLICY).contains("default-src 'self'", "script-src 'self'")
                .doesNotContain("http", "*", "unsafe-eval");
    }
}
