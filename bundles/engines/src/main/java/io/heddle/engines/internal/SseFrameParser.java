package io.heddle.engines.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} body as it arrives, in pieces of any size, and hands on
 * each complete frame. Both model protocols use it. It follows the Server-Sent Events format:
 * <ul>
 * <li>lines end with LF, CR LF or CR (also when a CR ends one piece and its LF starts the next);</li>
 * <li>{@code data:} lines of one frame are joined with LF; one space after the colon is dropped;</li>
 * <li>{@code event:} names the frame, {@code id:} and {@code retry:} are kept or ignored;</li>
 * <li>lines starting with a colon are comments (keep-alives) and are skipped;</li>
 * <li>a blank line ends a frame; a frame without data is not handed on (nor is a partial
 *     frame when the body ends).</li>
 * </ul>
 * Not thread-safe: one body, fed in order.
 */
final class SseFrameParser {

    /** The longest line accepted; a longer one is a malformed stream, not a memory problem. */
    static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

    /** One frame: its event name ({@code message} when none was given) and its data. */
    record Frame(String event, String data) {}

    /** Takes frames as they complete. */
    interface FrameHandler {
        void frame(Frame frame) throws ModelStreamException;
    }

    private final FrameHandler handler;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private boolean afterCr;
    private String event;
    private StringBuilder data;
    private long comments;
    private long frames;

    SseFrameParser(FrameHandler handler) {
        this.handler = handler;
    }

    /** Feeds the next piece of the body. */
    void feed(byte[] bytes, int offset, int length) throws ModelStreamException {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCr) {
                // the LF of a CR LF whose CR ended the previous piece or line
                afterCr = false;
                start = i + 1;
                continue;
            }
            afterCr = false;
            if (b == '\n' || b == '\r') {
                append(bytes, start, i - start);
                lineDone();
                afterCr = b == '\r';
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
    }

    void feed(byte[] bytes) throws ModelStreamException {
        feed(bytes, 0, bytes.length);
    }

    /** How many comment lines (keep-alives) were skipped. */
    long comments() {
        return comments;
    }

    /** How many frames were handed on. */
    long frames() {
        return frames;
    }

    /** Whether the body so far ends inside a frame (a partial line or data without its blank line). */
    boolean midFrame() {
        return line.size() > 0 || data != null || event != null;
    }

    private void append(byte[] bytes, int offset, int length) throws ModelStreamException {
        if (length <= 0) {
            return;
        }
        if (line.size() + length > MAX_LINE_BYTES) {
            throw new ModelStreamException("malformed stream: a line longer than " + MAX_LINE_BYTES + " bytes");
        }
        line.write(bytes, offset, length);
    }

    private void lineDone() throws ModelStreamException {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            comments++;
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data":
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
                break;
            case "event":
                event = value;
                break;
            default:
                // id, retry and unknown fields: nothing to do for a reply
                break;
        }
    }

    private void dispatch() throws ModelStreamException {
        String name = event == null || event.isEmpty() ? "message" : event;
        StringBuilder body = data;
        event = null;
        data = null;
        if (body == null) {
            return;
        }
        frames++;
        handler.frame(new Frame(name, body.toString()));
    }
}
