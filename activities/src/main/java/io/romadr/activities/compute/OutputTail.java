package io.romadr.activities.compute;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The last {@code limit} bytes of a stream of output, decoded as UTF-8 (a character cut at the start is replaced). */
final class OutputTail {
    static final int DEFAULT_LIMIT = 4 * 1024;

    private final byte[] ring;
    private long written;

    OutputTail(int limit) {
        this.ring = new byte[limit];
    }

    OutputTail() {
        this(DEFAULT_LIMIT);
    }

    synchronized void append(byte[] bytes) {
        if (bytes == null) {
            return;
        }
        int from = Math.max(0, bytes.length - ring.length);
        written += from; // bytes that would be overwritten within this call anyway
        for (int i = from; i < bytes.length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[i];
        }
    }

    synchronized String text() {
        int n = (int) Math.min(written, ring.length);
        byte[] out = new byte[n];
        int start = (int) ((written - n) % ring.length);
        for (int i = 0; i < n; i++) {
            out[i] = ring[(start + i) % ring.length];
        }
        return decode(out);
    }

    /** Keeps the last {@code limit} bytes of {@code s} (UTF-8). */
    static String tail(String s, int limit) {
        if (s == null) {
            return "";
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= limit) {
            return s;
        }
        byte[] out = new byte[limit];
        System.arraycopy(b, b.length - limit, out, 0, limit);
        return decode(out);
    }

    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
