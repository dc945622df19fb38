package io.heddle.jsonhttp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.lifecycle.ErrorEnvelope;
import io.heddle.storage.internal.JsonFields;
import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's envelope writer (plain Java, for extensions) against the bundles' JSON writer
 * (jackson-core), which wrote every error until both used the envelope: the same bytes.
 */
class ErrorEnvelopeTest {

    private static String viaJsonTree(String code, String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return JsonTree.writeCompact(Map.of("error", error));
    }

    @Test
    void everyCharacterBelowDelIsEscapedAsTheBundlesJsonWriterEscapesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        String message = all + " é → 😀 \u2028";

        assertThat(ErrorEnvelope.json("bad_request", message)).isEqualTo(viaJsonTree("bad_request", message, null));
        assertThat(ErrorEnvelope.json("invalid_field", message, "schedule.intervalMs"))
                .isEqualTo(viaJsonTree("invalid_field", message, "schedule.intervalMs"));
    }

    @Test
    void theEnvelopeReadsBackAsItsCodeMessageAndField() throws Exception {
        String json = ErrorEnvelope.json("invalid_field", "say \"when\"\n\\", "task");

        Map<String, Object> error =
                JsonFields.object(JsonFields.object(JsonTree.parse(json.getBytes(StandardCharsets.UTF_8)))
                        .get("error"));

        assertThat(error)
                .containsExactly(
                        Map.entry("code", "invalid_field"),
                        Map.entry("message", "say \"when\"\n\\"),
                        Map.entry("field", "task"));
    }

    @Test
    void aQuotedStringIsTheJsonWritersStringLiteral() {
        assertThat(ErrorEnvelope.quote("tab\there \"q\" \u0001"))
                .isEqualTo(JsonTree.writeCompact("tab\there \"q\" \u0001"));
    }

    @Test
    void aLoneSurrogateIsEscapedNotLost() {
        assertThat(ErrorEnvelope.quote("cut \uD83D")).isEqualTo("\"cut \\uD83D\"");
    }
}
