package io.heddle.jsonhttp.files.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class StaticResponsesTest {

    @Test
    void gzipIsAcceptedUnlessRefusedWithQZero() {
        assertThat(StaticResponses.acceptsGzip("gzip, deflate, br")).isTrue();
        assertThat(StaticResponses.acceptsGzip("br;q=1.0, GZIP;q=0.5")).isTrue();
        assertThat(StaticResponses.acceptsGzip("*")).isTrue();
        assertThat(StaticResponses.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(StaticResponses.acceptsGzip("gzip;q=0.000, *")).isFalse();
        assertThat(StaticResponses.acceptsGzip("*, gzip;q=0")).isFalse();
        assertThat(StaticResponses.acceptsGzip("identity")).isFalse();
        assertThat(StaticResponses.acceptsGzip("br")).isFalse();
        assertThat(StaticResponses.acceptsGzip(null)).isFalse();
    }

    @Test
    void ifNoneMatchComparesWeaklyAndHonoursStar() {
        assertThat(StaticResponses.etagMatches("\"a1\"", "\"a1\"")).isTrue();
        assertThat(StaticResponses.etagMatches("W/\"a1\"", "\"a1\"")).isTrue();
        assertThat(StaticResponses.etagMatches("\"zz\", \"a1\"", "\"a1\"")).isTrue();
        assertThat(StaticResponses.etagMatches("*", "\"a1\"")).isTrue();
        assertThat(StaticResponses.etagMatches("\"a1-gz\"", "\"a1\"")).isFalse();
        assertThat(StaticResponses.etagMatches(null, "\"a1\"")).isFalse();
    }

    @Test
    void theGzippedBytesUnzipToTheContent() throws IOException {
        byte[] text = "function swagger() {}\n".repeat(50).getBytes(StandardCharsets.UTF_8);

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(StaticResponses.gzip(text)))) {
            assertThat(in.readAllBytes()).isEqualTo(text);
        }
    }

    @Test
    void theEtagIsQuotedHexOfTheContentAndTheGzipTagDiffers() {
        byte[] one = "one".getBytes(StandardCharsets.UTF_8);
        String etag = StaticResponses.etagOf(one);
        StaticContent content = new StaticContent() {
            public String contentType() {
                return "text/plain";
            }

            public byte[] body() {
                return one;
            }

            public String etag() {
                return etag;
            }

            public boolean gzipOffered() {
                return false;
            }

            public byte[] gzip() {
                return null;
            }
        };

        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(StaticResponses.etagOf("two".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(etag);
        assertThat(content.gzipEtag()).isEqualTo(etag.substring(0, 33) + "-gz\"");
    }
}
