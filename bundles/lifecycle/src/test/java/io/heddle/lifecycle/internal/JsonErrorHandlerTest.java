package io.heddle.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonErrorHandlerTest {

    private static String body(int status, String message) {
        return new String(JsonErrorHandler.body(status, message), StandardCharsets.UTF_8);
    }

    @Test
    void jettysRefusalsGetTheApisErrorShapeWithTheirOwnCodes() {
        assertThat(body(400, "Ambiguous URI empty segment"))
                .isEqualTo(
                        "{\"error\":{\"code\":\"bad_request\",\"message\":\"HTTP 400: Ambiguous URI empty segment\"}}");
        assertThat(body(414, "URI Too Long")).contains("\"code\":\"uri_too_long\"");
        assertThat(body(431, "Request Header Fields Too Large")).contains("\"code\":\"headers_too_large\"");
        assertThat(body(505, "Unsupported Version")).contains("\"code\":\"http_version_not_supported\"");
        assertThat(body(418, "odd")).contains("\"code\":\"bad_request\"");
        assertThat(body(502, "odd")).contains("\"code\":\"internal_error\"");
    }

    @Test
    void aReasonThatQuotesTheInputIsEscapedAndCut() {
        String reason = "Illegal character \"\u0001\" in " + "x".repeat(1000);

        String json = body(400, reason);

        assertThat(json)
                .contains("\\\"")
                .contains("\\u0001")
                .doesNotContain("x".repeat(201))
                .endsWith("…\"}}");
    }
}
