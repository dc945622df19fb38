package io.heddle.storage.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree codec on jackson-core's streaming API: objects become
 * {@code LinkedHashMap<String,Object>}, arrays {@code List<Object>}, numbers {@code Long},
 * {@code BigInteger} or {@code Double}. It keeps start-up cheap (no data binding, and plain
 * JSON read without jackson-core at all), which matters on the launcher's attach path.
 */
public final class JsonTree {

    /**
     * jackson-core's factory, created on first use: a read of plain JSON ({@link PlainJsonReader},
     * the launcher's attach path) never loads jackson-core.
     */
    private static final class Jackson {
        static final JsonFactory FACTORY = JsonFactory.builder()
                .streamReadConstraints(
                        StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
    }

    private JsonTree() {}

    /** Thrown when bytes are not exactly one JSON value. */
    public static final class MalformedJsonException extends IOException {
        private static final long serialVersionUID = 1L;

        public MalformedJsonException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Parses exactly one JSON value; empty input, trailing content or bad syntax throw. Plain
     * JSON is read by {@link PlainJsonReader}; everything else (and every error) by jackson-core.
     */
    public static Object parse(byte[] bytes) throws MalformedJsonException {
        Object plain = PlainJsonReader.read(bytes);
        if (plain != PlainJsonReader.UNSURE) {
            return plain;
        }
        return parseWithJackson(bytes);
    }

    /** {@link #parse} by jackson-core alone. */
    static Object parseWithJackson(byte[] bytes) throws MalformedJsonException {
        try (JsonParser parser = Jackson.FACTORY.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new MalformedJsonException("empty document", null);
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new MalformedJsonException(
                        "trailing content after the JSON value at "
                                + parser.currentLocation().getCharOffset(),
                        null);
            }
            return value;
        } catch (MalformedJsonException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MalformedJsonException(e.getMessage() == null ? e.toString() : firstLine(e.getMessage()), e);
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    list.add(readValue(parser, t));
                }
                return list;
            }
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token);
        }
    }

    /** Writes a tree of maps, lists, strings, numbers, booleans and nulls, pretty-printed. */
    public static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = Jackson.FACTORY.createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            writeValue(generator, value);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Writes one value compactly on one line. */
    public static String writeCompact(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = Jackson.FACTORY.createGenerator(out)) {
            writeValue(generator, value);
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to memory failed", e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                g.writeFieldName(e.getKey());
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List) {
            g.writeStartArray();
            for (Object item : (List<Object>) value) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof Boolean) {
            g.writeBoolean((Boolean) value);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger) {
            g.writeNumber((BigInteger) value);
        } else if (value instanceof BigDecimal) {
            g.writeNumber((BigDecimal) value);
        } else if (value instanceof Number) {
            g.writeNumber(((Number) value).doubleValue());
        } else {
            g.writeString(value.toString());
        }
    }
}
