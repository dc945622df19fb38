package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The plain-JSON reader answers only where jackson-core gives the same tree, and leaves every
 * other document (and every error) to jackson-core.
 */
class PlainJsonReaderTest {

    private static final String REGISTRY = "{\n"
            + "  \"version\" : 1,\n"
            + "  \"updatedAt\" : \"2026-12-03T18:16:33.547Z\",\n"
            + "  \"server\" : {\n"
            + "    \"serverId\" : \"daemon-25331-1796321790938\",\n"
            + "    \"mode\" : \"daemon\",\n"
            + "    \"host\" : \"127.0.0.1\",\n"
            + "    \"port\" : 44773,\n"
            + "    \"pid\" : 25331,\n"
            + "    \"startedAt\" : \"2026-12-03T18:16:32.944Z\",\n"
            + "    \"lastSeenAt\" : \"2026-12-03T18:16:32.944Z\",\n"
            + "    \"processStartedAt\" : \"2026-12-03T18:16:30.340Z\"\n"
            + "  },\n"
            + "  \"workspaces\" : [ {\n"
            + "    \"workspace\" : {\n"
            + "      \"id\" : \"ws-69adb47d07f4c614\",\n"
            + "      \"name\" : \"ws\",\n"
            + "      \"workspaceRoot\" : \"/tmp/att/ws\",\n"
            + "      \"repoRoots\" : [ \"/tmp/att/ws\" ],\n"
            + "      \"stateRoot\" : \"/tmp/att/ws/.heddle\",\n"
            + "      \"createdAt\" : \"2026-12-03T18:16:33.504Z\",\n"
            + "      \"updatedAt\" : \"2026-12-03T18:16:33.504Z\"\n"
            + "    },\n"
            + "    \"updatedAt\" : \"2026-12-03T18:16:33.525Z\"\n"
            + "  } ]\n"
            + "}\n";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Jackson's answer: the tree, or the exception's message. */
    private static Object jackson(byte[] bytes) {
        try {
            return JsonTree.parseWithJackson(bytes);
        } catch (JsonTree.MalformedJsonException e) {
            return "malformed: " + e.getMessage();
        }
    }

    @Test
    void aRegistryFileIsReadAsJacksonReadsIt() {
        Object plain = PlainJsonReader.read(bytes(REGISTRY));

        assertThat(plain).isNotSameAs(PlainJsonReader.UNSURE).isEqualTo(jackson(bytes(REGISTRY)));
        @SuppressWarnings("unchecked")
        Map<String, Object> server = (Map<String, Object>) ((Map<String, Object>) plain).get("server");
        assertThat(server.get("port")).isEqualTo(44773L);
        assertThat(server.get("host")).isEqualTo("127.0.0.1");
    }

    @Test
    void writtenTreesReadBackIdentically() {
        Object tree = Map.of(
                "text", "quote \" backslash \\ slash / tab \t newline \n control \u0001",
                "numbers", List.of(0L, -0L, 1L, -1L, 999_999_999_999_999_999L, -999_999_999_999_999_999L),
                "literals", List.of(true, false),
                "empty", Map.of(),
                "nested", List.of(List.of(), Map.of("a", List.of(Map.of("b", "c")))));
        byte[] pretty = JsonTree.write(tree);
        byte[] compact = bytes(JsonTree.writeCompact(tree));

        assertThat(PlainJsonReader.read(pretty)).isEqualTo(jackson(pretty)).isEqualTo(tree);
        assertThat(PlainJsonReader.read(compact)).isEqualTo(jackson(compact)).isEqualTo(tree);
    }

    @Test
    void nullsDuplicateNamesAndEscapesMatchJackson() {
        List<String> documents = List.of(
                "null",
                " 42 ",
                "\"top\"",
                "{\"a\":null,\"b\":[null,1]}",
                "{\"a\":1,\"b\":2,\"a\":3}",
                "[\"\\u0041\\u00e9\\uD83D\\uDE00\\u0000\\b\\f\\r\\/\"]",
                "\t\r\n[ 1 , 2 ]\r\n");
        for (String document : documents) {
            Object plain = PlainJsonReader.read(bytes(document));

            assertThat(plain).as(document).isNotSameAs(PlainJsonReader.UNSURE);
            assertThat(plain).as(document).isEqualTo(jackson(bytes(document)));
        }
    }

    @Test
    void everythingButPlainJsonIsLeftToJackson() {
        List<String> documents = List.of(
                "",
                "   ",
                "{",
                "{\"a\":1,}",
                "[1,]",
                "{\"a\" 1}",
                "{a:1}",
                "{'a':1}",
                "[01]",
                "[-]",
                "[1.5]",
                "[1e3]",
                "[1E3]",
                "[-0.0]",
                "[1234567890123456789]",
                "[99999999999999999999999]",
                "[NaN]",
                "[tru]",
                "[truex]",
                "[nul]",
                "{} {}",
                "{} x",
                "[\"\\x\"]",
                "[\"\\u12g4\"]",
                "[\"tab\there\"]",
                "[\"del\u007f\"]",
                "[\"caf\u00e9\"]",
                "\ufeff{}",
                "// comment\n{}",
                "{\"a\":1}\u0000");
        for (String document : documents) {
            assertThat(PlainJsonReader.read(bytes(document))).as(document).isSameAs(PlainJsonReader.UNSURE);
        }
        assertThat(PlainJsonReader.read(new byte[] {'[', '"', (byte) 0xff, '"', ']'}))
                .isSameAs(PlainJsonReader.UNSURE);
    }

    @Test
    void errorsAreStillJacksonsErrors() {
        assertThatThrownBy(() -> JsonTree.parse(bytes("")))
                .isInstanceOf(JsonTree.MalformedJsonException.class)
                .hasMessage("empty document");
        for (String document : List.of("{", "{\"a\":1,}", "[01]", "{} {}", "[\"\\x\"]")) {
            assertThatThrownBy(() -> JsonTree.parse(bytes(document)))
                    .as(document)
                    .isInstanceOf(JsonTree.MalformedJsonException.class)
                    .hasMessage(((String) jackson(bytes(document))).substring("malformed: ".length()));
        }
    }

    @Test
    void documentsBeyondTheReadersLimitsGoToJackson() {
        String deep = "[".repeat(PlainJsonReader.MAX_DEPTH + 1) + "]".repeat(PlainJsonReader.MAX_DEPTH + 1);
        String shallow = "[".repeat(PlainJsonReader.MAX_DEPTH) + "]".repeat(PlainJsonReader.MAX_DEPTH);
        String longName = "{\"" + "n".repeat(PlainJsonReader.MAX_NAME_LENGTH + 1) + "\":1}";
        StringBuilder manyNames = new StringBuilder("{");
        for (int i = 0; i <= PlainJsonReader.MAX_NAMES; i++) {
            manyNames.append(i == 0 ? "" : ",").append("\"n").append(i).append("\":1");
        }
        String large = "[\"" + "x".repeat(PlainJsonReader.MAX_BYTES) + "\"]";

        assertThat(PlainJsonReader.read(bytes(deep))).isSameAs(PlainJsonReader.UNSURE);
        assertThat(PlainJsonReader.read(bytes(shallow))).isEqualTo(jackson(bytes(shallow)));
        assertThat(PlainJsonReader.read(bytes(longName))).isSameAs(PlainJsonReader.UNSURE);
        assertThat(PlainJsonReader.read(bytes(manyNames.append('}').toString())))
                .isSameAs(PlainJsonReader.UNSURE);
        assertThat(PlainJsonReader.read(bytes(large))).isSameAs(PlainJsonReader.UNSURE);
    }

    @Test
    void whateverTheReaderAcceptsAfterRandomDamageJacksonReadsTheSame() {
        Random random = new Random(92);
        byte[] original = bytes(REGISTRY);
        byte[] alphabet = bytes("{}[]:,\"\\/ \t\r\n0123456789-+.eEtrufalsn\u0001x");
        int accepted = 0;
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] damaged = original.clone();
            int changes = 1 + random.nextInt(3);
            for (int c = 0; c < changes; c++) {
                damaged[random.nextInt(damaged.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            Object plain = PlainJsonReader.read(damaged);
            if (plain != PlainJsonReader.UNSURE) {
                accepted++;
                if (!plain.equals(jackson(damaged))) {
                    wrong.add(new String(damaged, StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(wrong).isEmpty();
        // the damage leaves many documents valid (a changed digit or letter inside a string)
        assertThat(accepted).isGreaterThan(250);
    }
}
