package io.heddle.launcher;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration with its unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) as milliseconds. */
final class DurationConverter implements ITypeConverter<Long> {

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    @Override
    public Long convert(String value) {
        Matcher m = DURATION.matcher(value == null ? "" : value);
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration. Give a whole number with a unit: 500ms, 30s, 5m, 2h or 1d");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return n;
            case "s":
                return n * 1_000L;
            case "m":
                return n * 60_000L;
            case "h":
                return n * 3_600_000L;
            default:
                return n * 86_400_000L;
        }
    }

    /** Milliseconds in the largest unit that divides them: {@code 300000} is {@code 5m}. */
    static String format(Object millis) {
        if (!(millis instanceof Number)) {
            return "-";
        }
        long ms = ((Number) millis).longValue();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms > 0 && ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }
}
