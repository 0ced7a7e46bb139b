package io.romadr.activities.registry;

import io.romadr.activities.digest.Sha256;
import java.security.MessageDigest;

/** {@link Sha256} digests in the registry's {@code sha256:<hex>} form. */
public final class Digests {
    private Digests() {
    }

    public static String of(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    /** Finishes {@code sha} (a {@link Sha256#newDigest()}) in the registry's form. */
    static String of(MessageDigest sha) {
        return "sha256:" + Sha256.hex(sha);
    }

    static void requireSha256(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
    }
}
