package io.heddle.storage.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the instants Heddle's files hold. Heddle writes one shape, UTC with milliseconds
 * ({@code 2026-06-02T00:00:00.000Z}, {@link JsonFields#format}); that shape is read here by
 * plain arithmetic, because {@link Instant#parse} first builds {@code java.time}'s formatters,
 * a cost the launcher's attach path ({@code heddle daemon} with a live server) cannot afford
 * (docs/decisions/0092-attach-path-without-invoke-and-formatters.md). Every other text goes to
 * {@link Instant#parse}, then to {@link OffsetDateTime#parse}, exactly as before, so whatever
 * they accept is still accepted and whatever they refuse is still refused.
 */
public final class InstantText {

    /** {@code yyyy-MM-ddTHH:mm:ss.SSSZ} */
    private static final int UTC_MILLIS_LENGTH = 24;

    private static final int DAYS_0000_03_01_TO_1970_01_01 = 719_468;

    private InstantText() {}

    /** The instant of an ISO-8601 text (an instant, or a date-time with an offset), or null. */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant exact = parseUtcMillis(text);
        if (exact != null) {
            return exact;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notADateTime) {
                return null;
            }
        }
    }

    /**
     * The instant of exactly {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (ASCII digits, a real calendar
     * date, hours 0-23, minutes and seconds 0-59), else null: the caller then asks
     * {@code java.time}, which also knows every other shape (and leap seconds).
     */
    static Instant parseUtcMillis(String s) {
        if (s.length() != UTC_MILLIS_LENGTH
                || s.charAt(4) != '-'
                || s.charAt(7) != '-'
                || s.charAt(10) != 'T'
                || s.charAt(13) != ':'
                || s.charAt(16) != ':'
                || s.charAt(19) != '.'
                || s.charAt(23) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        int millis = digits(s, 20, 3);
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > daysInMonth(year, month)
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59
                || millis < 0) {
            return null;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, millis * 1_000_000L);
    }

    /** The number of {@code count} ASCII digits at {@code from}, or -1 when one is not an ASCII digit. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                return isLeapYear(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    private static boolean isLeapYear(int year) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date with a year from 0 to 9999, counted in
     * years that begin on March 1st (so that the leap day ends a year).
     */
    static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int m = month <= 2 ? month + 9 : month - 3; // March = 0 ... February = 11
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400; // 0..399
        int dayOfYear = (153 * m + 2) / 5 + day - 1; // 0..365
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - DAYS_0000_03_01_TO_1970_01_01;
    }
}
