package io.heddle.itest.support;

import io.heddle.storage.internal.JsonTree;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON answers in tests, with the platform's own JSON tree reader (the storage library's
 * {@code JsonTree}, copied into the kit): objects are {@link Map}s in document order, arrays
 * {@link List}s, whole numbers {@link Long}s, other numbers {@link Double}s.
 */
public final class Json {

    private Json() {}

    /** Exactly one JSON value; bad syntax or trailing content throws {@link IllegalArgumentException}. */
    public static Object parse(String text) {
        try {
            return JsonTree.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (JsonTree.MalformedJsonException e) {
            throw new IllegalArgumentException("not JSON (" + e.getMessage() + "): " + text, e);
        }
    }

    /** A JSON text that must be an object. */
    public static Map<String, Object> object(String text) {
        return map(parse(text));
    }

    /** A parsed value that must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("not a JSON object: " + value);
        }
        return (Map<String, Object>) value;
    }

    /** A parsed value that must be an array. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        if (!(value instanceof List)) {
            throw new AssertionError("not a JSON array: " + value);
        }
        return (List<Object>) value;
    }

    /**
     * The string value of the first member named {@code field}, at any depth, in document order;
     * null when there is none or when {@code text} is not JSON.
     */
    public static String firstString(String text, String field) {
        Object tree;
        try {
            tree = JsonTree.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (JsonTree.MalformedJsonException e) {
            return null;
        }
        return firstString(tree, field);
    }

    private static String firstString(Object value, String field) {
        if (value instanceof Map) {
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (field.equals(member.getKey()) && member.getValue() instanceof String) {
                    return (String) member.getValue();
                }
                String inside = firstString(member.getValue(), field);
                if (inside != null) {
                    return inside;
                }
            }
        } else if (value instanceof List) {
            for (Object element : (List<?>) value) {
                String inside = firstString(element, field);
                if (inside != null) {
                    return inside;
                }
            }
        }
        return null;
    }
}
