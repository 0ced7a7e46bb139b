package io.romadr.activities.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** sha256 digests in the registry's {@code sha256:<hex>} form. */
public final class Digests {
    private Digests() {}

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String of(byte[] bytes) {
        return format(sha256().digest(bytes));
    }

    static String format(byte[] hash) {
        return "sha256:" + HexFormat.of().formatHex(hash);
    }

    static void requireSha256(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
    }
}
