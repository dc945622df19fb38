package io.heddle.storage.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A reader for the plain JSON Heddle writes (ASCII, integers, ordinary escapes), without
 * jackson-core: the launcher's attach path ({@code heddle daemon} with a live server) reads the
 * registry before it answers, and creating jackson-core's factory and parser loads about a
 * hundred classes (docs/decisions/0092-attach-path-without-invoke-and-formatters.md).
 *
 * <p>It answers only for documents jackson-core certainly reads the same way: strict RFC 8259
 * JSON of ASCII bytes, integers of at most 18 digits, the standard escapes, shallow nesting, a
 * modest size. For anything else (another encoding or a byte-order mark, a fraction or an
 * exponent, a syntax error of any kind, a document too deep or too large) it answers
 * {@link #UNSURE}, and {@link JsonTree} asks jackson-core, which then gives the value or the
 * error it always gave. It never throws.
 */
final class PlainJsonReader {

    /** "Ask jackson-core": the document is not one this reader certainly reads as jackson-core does. */
    static final Object UNSURE = new Object();

    /** Documents larger than this go to jackson-core (whose length limits then apply as before). */
    static final int MAX_BYTES = 1 << 20;
    /** Deeper nesting goes to jackson-core (whose nesting limit then applies as before). */
    static final int MAX_DEPTH = 32;

    /**
     * Documents with more distinct member names go to jackson-core: its name table refuses some
     * crafted sets of many colliding names, never a set this small.
     */
    static final int MAX_NAMES = 256;
    /** Longer member names go to jackson-core (whose name-length limit then applies as before). */
    static final int MAX_NAME_LENGTH = 1000;

    private static final int MAX_INTEGER_DIGITS = 18;

    private final byte[] in;
    private final Set<String> names = new HashSet<>();
    private int pos;

    private PlainJsonReader(byte[] in) {
        this.in = in;
    }

    /** The tree of {@code bytes} (as {@link JsonTree#parse} builds it), or {@link #UNSURE}. */
    static Object read(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            return UNSURE;
        }
        PlainJsonReader reader = new PlainJsonReader(bytes);
        try {
            reader.skipWhitespace();
            Object value = reader.value(0);
            reader.skipWhitespace();
            return reader.pos == bytes.length ? value : UNSURE;
        } catch (Unsure unsure) {
            return UNSURE;
        }
    }

    /** Thrown inside the reader only: the document goes to jackson-core. */
    private static final class Unsure extends Exception {
        private static final long serialVersionUID = 1L;
        static final Unsure INSTANCE = new Unsure();

        private Unsure() {
            super(null, null, false, false);
        }
    }

    private Object value(int depth) throws Unsure {
        int c = peek();
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                return integer();
        }
    }

    private Map<String, Object> object(int depth) throws Unsure {
        if (depth > MAX_DEPTH) {
            throw Unsure.INSTANCE;
        }
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw Unsure.INSTANCE;
            }
            String name = string();
            if (name.length() > MAX_NAME_LENGTH || (names.add(name) && names.size() > MAX_NAMES)) {
                throw Unsure.INSTANCE;
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(name, value(depth));
            skipWhitespace();
            int c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw Unsure.INSTANCE;
            }
        }
    }

    private List<Object> array(int depth) throws Unsure {
        if (depth > MAX_DEPTH) {
            throw Unsure.INSTANCE;
        }
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            int c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw Unsure.INSTANCE;
            }
        }
    }

    private String string() throws Unsure {
        pos++; // '"'
        StringBuilder text = null;
        int start = pos;
        while (true) {
            int c = next();
            if (c == '"') {
                String tail = new String(in, start, pos - 1 - start, StandardCharsets.US_ASCII);
                return text == null ? tail : text.append(tail).toString();
            }
            if (c < 0x20 || c > 0x7e) { // a control character, DEL, a non-ASCII byte, or the end
                throw Unsure.INSTANCE;
            }
            if (c == '\\') {
                if (text == null) {
                    text = new StringBuilder();
                }
                text.append(new String(in, start, pos - 1 - start, StandardCharsets.US_ASCII));
                text.append(escaped());
                start = pos;
            }
        }
    }

    private char escaped() throws Unsure {
        int c = next();
        switch (c) {
            case '"':
                return '"';
            case '\\':
                return '\\';
            case '/':
                return '/';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                int value = 0;
                for (int i = 0; i < 4; i++) {
                    value = value * 16 + hexDigit(next());
                }
                return (char) value;
            default:
                throw Unsure.INSTANCE;
        }
    }

    private static int hexDigit(int c) throws Unsure {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw Unsure.INSTANCE;
    }

    private Long integer() throws Unsure {
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int first = pos;
        long value = 0;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            value = value * 10 + (in[pos] - '0');
            pos++;
        }
        int digits = pos - first;
        if (digits == 0 || digits > MAX_INTEGER_DIGITS || (digits > 1 && in[first] == '0')) {
            throw Unsure.INSTANCE;
        }
        int c = peek();
        if (c == '.' || c == 'e' || c == 'E') { // a float: jackson-core's number parsing decides
            throw Unsure.INSTANCE;
        }
        return negative ? -value : value;
    }

    private void literal(String word) throws Unsure {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw Unsure.INSTANCE;
            }
        }
    }

    private void expect(char c) throws Unsure {
        if (next() != c) {
            throw Unsure.INSTANCE;
        }
    }

    private void skipWhitespace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /** The byte at the position (0..255), or -1 at the end. */
    private int peek() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private int next() {
        return pos < in.length ? in[pos++] & 0xff : -1;
    }
}
