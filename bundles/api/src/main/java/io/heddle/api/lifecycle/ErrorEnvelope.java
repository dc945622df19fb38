package io.heddle.api.lifecycle;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The JSON error shape of Heddle's HTTP API, {@code {"error":{"code":"…","message":"…"}}}, for
 * the servlets of extensions on the {@link ServerHandle#CONTEXT_NAME heddle} context as for
 * the platform's own (since 1.3). Send it with a 4xx status for bad input, never a 500:
 *
 * <pre>{@code
 * byte[] body = ErrorEnvelope.json("not_found", "No greeting named x.").getBytes(StandardCharsets.UTF_8);
 * response.setStatus(404);
 * response.setContentType(ErrorEnvelope.MEDIA_TYPE);
 * response.setContentLength(body.length);
 * response.getOutputStream().write(body);
 * }</pre>
 *
 * <p>Plain text in, JSON text out: it names no servlet type, because this package is also
 * loaded outside the framework (by the launcher), where the servlet API is not on the class path.
 */
@ProviderType
public final class ErrorEnvelope {

    /** The media type of every JSON answer of the API, errors included. */
    public static final String MEDIA_TYPE = "application/json;charset=utf-8";

    private ErrorEnvelope() {}

    /** {@code {"error":{"code":…,"message":…}}}. */
    public static String json(String code, String message) {
        return json(code, message, null);
    }

    /**
     * {@code {"error":{"code":…,"message":…,"field":…}}}; {@code field}, when not null, names
     * the request field at fault (for example {@code schedule.intervalMs}).
     */
    public static String json(String code, String message, String field) {
        StringBuilder out = new StringBuilder(48 + message.length()).append("{\"error\":{\"code\":");
        appendQuoted(out, code).append(",\"message\":");
        appendQuoted(out, message);
        if (field != null) {
            appendQuoted(out.append(",\"field\":"), field);
        }
        return out.append("}}").toString();
    }

    /**
     * {@code text} as a JSON string literal, quotes included, escaped as the API's own answers
     * are: {@code "} and {@code \}, the short escapes for backspace, tab, newline, form feed and
     * carriage return, {@code \}{@code uXXXX} for the other control characters and for each half
     * of a surrogate pair (so a lone half cannot make the text invalid UTF-8); all else as is.
     */
    public static String quote(String text) {
        return appendQuoted(new StringBuilder(text.length() + 2), text).toString();
    }

    private static StringBuilder appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && !Character.isSurrogate(c)) {
                out.append(c);
            } else if (c == '\b') {
                out.append("\\b");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\f') {
                out.append("\\f");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append("\\u")
                        .append(HEX[c >> 12])
                        .append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
        }
        return out.append('"');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
