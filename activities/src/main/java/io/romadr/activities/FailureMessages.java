package io.romadr.activities;

import java.nio.charset.StandardCharsets;

/**
 * Bounds the text an activity puts into a Temporal failure. Messages often quote untrusted data (archive entry names,
 * paths, command output); Temporal refuses failures over its size limit and a 4 KiB name makes the Web UI unreadable,
 * so every such message goes through {@link #bounded}: at most {@link #MAX_BYTES} bytes of UTF-8, control characters
 * escaped, and a note of how much was cut.
 */
public final class FailureMessages {
    public static final int MAX_BYTES = 1024;

    private FailureMessages() {
    }

    /** {@code text} with control characters escaped, cut to at most {@link #MAX_BYTES} UTF-8 bytes. */
    public static String bounded(String text) {
        return bounded(text, MAX_BYTES);
    }

    /** As {@link #bounded(String)} with another limit (e.g. for one name quoted inside a longer message). */
    public static String bounded(String text, int maxBytes) {
        String s = printable(text == null ? "null" : text);
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxBytes) {
            return s;
        }
        String note = "... (" + utf8.length + " bytes, cut)";
        int keep = Math.max(0, maxBytes - note.length());
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + len > keep) {
                break;
            }
            out.appendCodePoint(cp);
            used += len;
            i += Character.charCount(cp);
        }
        return out.append(note).toString();
    }

    /** Newlines, tabs and other control characters as escapes, so one message stays one readable line. */
    private static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    default -> String.format("\\u%04x", (int) c);
                });
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }
}
