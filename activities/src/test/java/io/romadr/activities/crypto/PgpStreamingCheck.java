package io.romadr.activities.crypto;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Child-JVM half of the large-stream test, run under a small {@code -Xmx} far below the data size: generates
 * SIZE_MIB of data on the fly, encrypts it to a file with {@link OpenPgpEncryptor}, decrypts the file back with
 * {@link OpenPgpDecryptor}, and prints both SHA-256 digests. Any full-size buffer would run out of heap.
 * Usage: {@code PgpStreamingCheck PUBLIC_KEY SECRET_KEY SIZE_MIB OUT_FILE}; passphrase in env ROMA_TEST_PASSPHRASE.
 */
public final class PgpStreamingCheck {
    private PgpStreamingCheck() {
    }

    public static void main(String[] args) throws Exception {
        List<PgpRecipient> recipients = OpenPgpKeys.readRecipients(Path.of(args[0]));
        PgpSecretKeys secret = OpenPgpKeys.readSecretKeys(Path.of(args[1]));
        long size = Long.parseLong(args[2]) << 20;
        Path encrypted = Path.of(args[3]);

        MessageDigest plainDigest = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 16];
        Random random = new Random(42);
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(encrypted));
                OutputStream enc = new OpenPgpEncryptor().encrypt(file, recipients)) {
            for (long written = 0; written < size; written += chunk.length) {
                fill(chunk, random, written);
                plainDigest.update(chunk);
                enc.write(chunk);
            }
        }

        char[] passphrase = System.getenv("ROMA_TEST_PASSPHRASE").toCharArray();
        MessageDigest decryptedDigest = MessageDigest.getInstance("SHA-256");
        long decrypted = 0;
        try (InputStream in = new OpenPgpDecryptor().decrypt(
                new BufferedInputStream(Files.newInputStream(encrypted)), secret, passphrase)) {
            java.util.Arrays.fill(passphrase, '\0');
            int n;
            while ((n = in.read(chunk)) >= 0) {
                decryptedDigest.update(chunk, 0, n);
                decrypted += n;
            }
        }
        System.out.println("plain " + HexFormat.of().formatHex(plainDigest.digest()) + " " + size);
        System.out.println("decrypted " + HexFormat.of().formatHex(decryptedDigest.digest()) + " " + decrypted);
        System.out.println("maxHeapMiB " + (Runtime.getRuntime().maxMemory() >> 20));
    }

    /** Half random, half repetitive text, so the data is neither all compressible nor all random. */
    static void fill(byte[] chunk, Random random, long offset) {
        if ((offset >> 16) % 2 == 0) {
            random.nextBytes(chunk);
        } else {
            byte[] line = ("line " + offset + " roma-dr streaming check, repeated payload\n").getBytes();
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = line[i % line.length];
            }
        }
    }

}
