package io.heddle.storage.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed, tolerant field access on a {@link JsonTree} object. Each getter answers null when
 * the field is missing or has the wrong type, so that decoders can decide per entry what a
 * bad field means.
 */
public final class JsonFields {

    private JsonFields() {}

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : null;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> array(Object value) {
        return value instanceof List ? (List<Object>) value : null;
    }

    public static String string(Map<String, Object> map, String field) {
        Object v = map.get(field);
        return v instanceof String ? (String) v : null;
    }

    /** A non-blank string, or null. */
    public static String text(Map<String, Object> map, String field) {
        String s = string(map, field);
        return s == null || s.isBlank() ? null : s;
    }

    /** An integral number (a JSON integer, or a float with no fraction), or null. */
    public static Long integer(Map<String, Object> map, String field) {
        Object v = map.get(field);
        if (v instanceof Long) {
            return (Long) v;
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.0e15) {
                return (long) d;
            }
        }
        return null;
    }

    public static Boolean bool(Map<String, Object> map, String field) {
        Object v = map.get(field);
        return v instanceof Boolean ? (Boolean) v : null;
    }

    /**
     * An ISO-8601 instant such as {@code 2026-06-02T00:00:00.000Z} (or a date-time with an
     * offset), or null ({@link InstantText}).
     */
    public static Instant instant(Map<String, Object> map, String field) {
        return InstantText.parse(string(map, field));
    }

    /** A list of strings; non-string items are skipped. Null when the field is not an array. */
    public static List<String> strings(Map<String, Object> map, String field) {
        List<Object> list = array(map.get(field));
        if (list == null) {
            return null;
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof String) {
                out.add((String) o);
            }
        }
        return out;
    }

    /** Formats an instant as the reference does: UTC with milliseconds, e.g. {@code 2026-06-02T00:00:00.000Z}. */
    public static String format(Instant instant) {
        return instant == null ? null : Formatter.ISO_MILLIS.format(instant);
    }

    /** Built on the first write only: readers (the launcher's attach path) never pay for a formatter. */
    private static final class Formatter {
        static final java.time.format.DateTimeFormatter ISO_MILLIS = java.time.format.DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
    }
}
