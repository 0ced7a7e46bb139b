package io.romadr.activities.backup;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every JDK has. */
public final class Digests {
    private Digests() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first 12 hex digits, enough to tell two digests apart in a message. */
    static String abbrev(String hex) {
        return hex == null ? "none" : hex.length() <= 12 ? hex : hex.substring(0, 12) + "...";
    }
}
