package io.heddle.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The instants of Heddle's files: its own shape read by arithmetic, every other shape by java.time as before. */
class InstantTextTest {

    /** What {@link JsonFields#instant} did before {@link InstantText}: the reference for every answer. */
    private static Instant javaTime(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    @Test
    void theShapeHeddleWritesIsReadWithoutJavaTimesParser() {
        assertThat(InstantText.parseUtcMillis("2000-01-01T00:00:00.000Z"))
                .isEqualTo(Instant.ofEpochSecond(946_684_800L));
        assertThat(InstantText.parseUtcMillis("1970-01-01T00:00:00.000Z")).isEqualTo(Instant.EPOCH);
        assertThat(InstantText.parseUtcMillis("2026-06-02T13:45:07.089Z"))
                .isEqualTo(Instant.parse("2026-06-02T13:45:07.089Z"));
        assertThat(InstantText.parseUtcMillis("1969-12-31T23:59:59.999Z")).isEqualTo(Instant.ofEpochMilli(-1));
    }

    @Test
    void everyWrittenInstantReadsBackAsItself() {
        Random random = new Random(92);
        // from year 1: the writer's pattern prints the year of the era (year 0 is "0001", 1 BC)
        long min = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Instant instant = Instant.ofEpochMilli(min + (long) (random.nextDouble() * (max - min)));
            String written = JsonFields.format(instant);
            if (!instant.equals(InstantText.parseUtcMillis(written)) || !instant.equals(javaTime(written))) {
                wrong.add(written);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyDayOfFourHundredYearsHasJavaTimesEpochDay() {
        List<LocalDate> wrong = new ArrayList<>();
        for (LocalDate day = LocalDate.of(1900, 1, 1); day.getYear() < 2300; day = day.plusDays(1)) {
            if (InstantText.epochDay(day.getYear(), day.getMonthValue(), day.getDayOfMonth()) != day.toEpochDay()) {
                wrong.add(day);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(InstantText.epochDay(0, 1, 1))
                .isEqualTo(LocalDate.of(0, 1, 1).toEpochDay());
        assertThat(InstantText.epochDay(9999, 12, 31))
                .isEqualTo(LocalDate.of(9999, 12, 31).toEpochDay());
    }

    @Test
    void otherIsoShapesStillGoThroughJavaTime() {
        List<String> shapes = List.of(
                "2026-06-02T00:00:00Z",
                "2026-06-02T00:00:00.1Z",
                "2026-06-02T00:00:00.00Z",
                "2026-06-02T00:00:00.123456789Z",
                "2026-06-02t00:00:00.000z",
                "2026-06-02T24:00:00.000Z",
                "2026-06-02T00:00:00.000+02:00",
                "2026-06-02T00:00:00-05:30",
                "2016-12-31T23:59:60.000Z",
                "+12026-06-02T00:00:00.000Z",
                "-0001-06-02T00:00:00.000Z");
        for (String shape : shapes) {
            assertThat(InstantText.parseUtcMillis(shape)).as(shape).isNull();
            assertThat(InstantText.parse(shape)).as(shape).isNotNull().isEqualTo(javaTime(shape));
        }
        assertThat(InstantText.parse("2026-06-02T00:00:00.000+02:00")).isEqualTo(Instant.parse("2026-06-01T22:00:00Z"));
        assertThat(InstantText.parse("2016-12-31T23:59:60.000Z")).isEqualTo(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @Test
    void badTextIsRefusedAsBefore() {
        List<String> bad = List.of(
                "",
                "yesterday",
                "2026-02-29T00:00:00.000Z",
                "2026-02-30T00:00:00.000Z",
                "2026-04-31T00:00:00.000Z",
                "2026-13-01T00:00:00.000Z",
                "2026-00-01T00:00:00.000Z",
                "2026-06-00T00:00:00.000Z",
                "2026-06-02T24:00:01.000Z",
                "2026-06-02T23:60:00.000Z",
                "2026-06-02T23:59:61.000Z",
                "2026-06-02 00:00:00.000Z",
                "2026-06-02T00:00:00.000",
                "2026-06-02T00:00:00.0000",
                "2026-06-02T0a:00:00.000Z",
                "2026-06-02T00:00:00.00aZ",
                "２０２６-06-02T00:00:00.000Z",
                "2026-06-02T00:00:00.000Z ");
        for (String text : bad) {
            assertThat(InstantText.parse(text)).as(text).isNull();
            assertThat(javaTime(text)).as(text).isNull();
        }
        assertThat(InstantText.parse(null)).isNull();
    }

    @Test
    void leapDaysAreReadOnLeapYearsOnly() {
        assertThat(InstantText.parseUtcMillis("2024-02-29T12:00:00.000Z"))
                .isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
        assertThat(InstantText.parseUtcMillis("2000-02-29T12:00:00.000Z"))
                .isEqualTo(Instant.parse("2000-02-29T12:00:00Z"));
        assertThat(InstantText.parse("1900-02-29T12:00:00.000Z")).isNull();
        assertThat(InstantText.parse("2100-02-29T12:00:00.000Z")).isNull();
    }

    @Test
    void anyOneCharacterChangedGivesJavaTimesAnswer() {
        Random random = new Random(15);
        String written = "2026-06-02T13:45:07.089Z";
        String alphabet = "0123456789-:.TZtz+ 9";
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            char[] text = written.toCharArray();
            text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            text[random.nextInt(text.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            String mutated = new String(text);
            if (!Objects.equals(InstantText.parse(mutated), javaTime(mutated))) {
                wrong.add(mutated);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(InstantText.parse(written)).isEqualTo(Instant.parse(written).truncatedTo(ChronoUnit.MILLIS));
    }
}
