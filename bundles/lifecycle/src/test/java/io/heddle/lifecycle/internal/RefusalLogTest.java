package io.heddle.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.itest.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final List<String> lines = new ArrayList<>();
    private final RefusalLog log = new RefusalLog(clock, lines::add);

    @Test
    void aCauseIsLoggedOnceAMinuteAndTheNextLineCountsWhatWasMuted() {
        assertThat(log.refused("forbidden_host", "another host", "evil.example"))
                .isTrue();
        for (int i = 0; i < 500; i++) {
            assertThat(log.refused("forbidden_host", "another host", "evil" + i + ".example"))
                    .isFalse();
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(log.refused("forbidden_host", "another host", "late.example"))
                .isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(log.refused("forbidden_host", "another host", "next.example"))
                .isTrue();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("forbidden_host")
                .contains("'evil.example'")
                .doesNotContain("more of this cause");
        assertThat(lines.get(1)).contains("'next.example'").contains("and 501 more of this cause");
    }

    @Test
    void causesAreLimitedSeparately() {
        assertThat(log.refused("forbidden_host", "another host", "a")).isTrue();
        assertThat(log.refused("http_400", "bad URI", "b")).isTrue();
        assertThat(log.refused("forbidden_host", "another host", "c")).isFalse();
        assertThat(lines).hasSize(2);
    }

    @Test
    void theInputIsCutTo80CharactersAndControlCharactersCannotForgeLines() {
        String input = "x".repeat(5000) + "\n2026-12-03 ERROR forged";
        log.refused("http_414", "a long URI", input);

        String line = lines.get(0);
        assertThat(line)
                .contains("'" + "x".repeat(RefusalLog.MAX_INPUT_CHARS) + "'")
                .contains("(" + input.length() + " chars)");
        assertThat(line)
                .doesNotContain("x".repeat(RefusalLog.MAX_INPUT_CHARS + 1))
                .doesNotContain("forged");
        assertThat(RefusalLog.truncate("a\r\nb\u0000c")).isEqualTo("'a??b?c'");
    }
}
