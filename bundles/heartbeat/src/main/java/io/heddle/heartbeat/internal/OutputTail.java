package io.heddle.heartbeat.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the last {@code capacity} bytes of a stream (a ring buffer) and counts all of them, so
 * that a chatty command costs bounded memory and its run record stays small.
 */
final class OutputTail {

    private final byte[] ring;
    private long total;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    /** Reads {@code in} to its end. */
    void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            append(buffer, 0, n);
        }
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        if (length > ring.length) {
            // only the newest capacity bytes can survive: count the rest as already passed through
            int skip = length - ring.length;
            offset += skip;
            length -= skip;
            total += skip;
        }
        int pos = (int) (total % ring.length);
        int first = Math.min(length, ring.length - pos);
        System.arraycopy(bytes, offset, ring, pos, first);
        System.arraycopy(bytes, offset + first, ring, 0, length - first);
        total += length;
    }

    synchronized long total() {
        return total;
    }

    synchronized boolean truncated() {
        return total > ring.length;
    }

    /** The kept bytes, oldest first. */
    synchronized byte[] bytes() {
        if (total <= ring.length) {
            byte[] out = new byte[(int) total];
            System.arraycopy(ring, 0, out, 0, out.length);
            return out;
        }
        int pos = (int) (total % ring.length);
        byte[] out = new byte[ring.length];
        System.arraycopy(ring, pos, out, 0, ring.length - pos);
        System.arraycopy(ring, 0, out, ring.length - pos, pos);
        return out;
    }

    /** The kept bytes as UTF-8 text; a character cut at the start becomes U+FFFD. */
    String text() {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes()));
            return chars.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
