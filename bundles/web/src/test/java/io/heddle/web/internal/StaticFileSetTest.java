package io.heddle.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticFileSetTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void filesAreFoundByRelativePathAndListedInOrder() {
        StaticFileSet set = new StaticFileSet(Map.of("index.html", utf8("<p>hi"), "assets/app.js", utf8("x()")));

        assertThat(set.paths()).containsExactly("assets/app.js", "index.html");
        assertThat(set.read("index.html"))
                .hasValueSatisfying(
                        b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("<p>hi"));
        assertThat(set.read("/index.html")).isEmpty();
        assertThat(set.read("missing.js")).isEmpty();
    }

    @Test
    void readAnswersACopySoCallersCannotChangeTheSet() {
        StaticFileSet set = new StaticFileSet(Map.of("index.html", utf8("abc")));

        set.read("index.html").orElseThrow()[0] = 'z';

        assertThat(set.read("index.html"))
                .hasValueSatisfying(b -> assertThat(b[0]).isEqualTo((byte) 'a'));
    }

    @Test
    void theHashChangesWithAnyContentOrPathAndOnlyThen() {
        String base = new StaticFileSet(Map.of("index.html", utf8("a"), "assets/x.js", utf8("b"))).contentHash();

        assertThat(new StaticFileSet(Map.of("assets/x.js", utf8("b"), "index.html", utf8("a"))).contentHash())
                .isEqualTo(base);
        assertThat(new StaticFileSet(Map.of("index.html", utf8("a"), "assets/x.js", utf8("c"))).contentHash())
                .isNotEqualTo(base);
        assertThat(new StaticFileSet(Map.of("index.html", utf8("a"), "assets/y.js", utf8("b"))).contentHash())
                .isNotEqualTo(base);
        // moving bytes between a path and its content is a different set too
        assertThat(new StaticFileSet(Map.of("ab", utf8("c"))).contentHash())
                .isNotEqualTo(new StaticFileSet(Map.of("a", utf8("bc"))).contentHash());
        assertThat(base).matches("[0-9a-f]{64}");
    }
}
