package io.heddle.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LineFormatTest {

    private static final long AT = Instant.parse("2026-12-03T18:26:15.007Z").toEpochMilli();
    private static final String NL = System.lineSeparator();

    @Test
    void aLineInUtcEndsItsTimestampWithZAndAbbreviatesThePackages() {
        LineFormat format = new LineFormat(ZoneOffset.UTC);

        String line = format.format(
                AT, Level.INFO, "main", "io.heddle.lifecycle.internal.RefusalLog", "refused a request", null);

        assertThat(line).isEqualTo("2026-12-03T18:26:15.007Z INFO  [main] i.h.l.i.RefusalLog - refused a request" + NL);
    }

    @Test
    void aZoneWithAnOffsetPrintsItAsPlusOrMinusHoursAndMinutes() {
        assertThat(new LineFormat(ZoneId.of("Asia/Kolkata")).format(AT, Level.WARN, "t", "x", "m", null))
                .startsWith("2026-12-03T23:56:15.007+05:30 WARN  [t] x - m");
        assertThat(new LineFormat(ZoneId.of("America/Los_Angeles")).format(AT, Level.WARN, "t", "x", "m", null))
                .startsWith("2026-12-03T10:26:15.007-08:00 ");
    }

    @Test
    void millisecondsArePaddedToThreeDigitsAndTheCachedSecondMovesOn() {
        LineFormat format = new LineFormat(ZoneOffset.UTC);

        String first = format.format(AT - 7, Level.INFO, "t", "x", "m", null);
        String second = format.format(AT + 1000 - 7 + 45, Level.INFO, "t", "x", "m", null);
        String third = format.format(AT + 61_000 - 7 + 999, Level.INFO, "t", "x", "m", null);

        assertThat(first).startsWith("2026-12-03T18:26:15.000Z ");
        assertThat(second).startsWith("2026-12-03T18:26:16.045Z ");
        assertThat(third).startsWith("2026-12-03T18:27:16.999Z ");
    }

    @Test
    void levelsArePaddedToFiveCharacters() {
        LineFormat format = new LineFormat(ZoneOffset.UTC);

        assertThat(format.format(AT, Level.TRACE, "t", "x", "m", null)).contains(" TRACE [t] ");
        assertThat(format.format(AT, Level.DEBUG, "t", "x", "m", null)).contains(" DEBUG [t] ");
        assertThat(format.format(AT, Level.INFO, "t", "x", "m", null)).contains(" INFO  [t] ");
        assertThat(format.format(AT, Level.WARN, "t", "x", "m", null)).contains(" WARN  [t] ");
        assertThat(format.format(AT, Level.ERROR, "t", "x", "m", null)).contains(" ERROR [t] ");
    }

    @Test
    void onlyThePackageSegmentsAreAbbreviated() {
        assertThat(LineFormat.abbreviateUncached("org.eclipse.jetty.server.Server"))
                .isEqualTo("o.e.j.s.Server");
        assertThat(LineFormat.abbreviateUncached("io.heddle.logging")).isEqualTo("i.h.logging");
        assertThat(LineFormat.abbreviateUncached("org.apache.felix.scr")).isEqualTo("o.a.f.scr");
        assertThat(LineFormat.abbreviateUncached("PgConnection")).isEqualTo("PgConnection");
        assertThat(new LineFormat(ZoneOffset.UTC).abbreviate("")).isEmpty();
    }

    @Test
    void theFullStackTraceFollowsTheLine() {
        IllegalStateException thrown = new IllegalStateException("boom", new java.io.IOException("disk"));

        String text = new LineFormat(ZoneOffset.UTC).format(AT, Level.ERROR, "worker-1", "a.B", "failed", thrown);

        String[] lines = text.split(NL);
        assertThat(lines[0]).isEqualTo("2026-12-03T18:26:15.007Z ERROR [worker-1] a.B - failed");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines[2]).startsWith("\tat io.heddle.logging.internal.LineFormatTest.");
        assertThat(text).contains("Caused by: java.io.IOException: disk").endsWith(NL);
    }

    @Test
    void aNullMessagePrintsNull() {
        assertThat(new LineFormat(ZoneOffset.UTC).format(AT, Level.INFO, "t", "x", null, null))
                .endsWith(" x - null" + NL);
    }
}
