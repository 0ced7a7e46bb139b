package io.romadr.activities.crypto;

import io.romadr.bench.BenchmarkSupport;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA1Digest;

/**
 * What one thread of this JVM does with each primitive OpenPGP encryption is made of, from memory, in 4 KiB calls
 * (as the encryptor makes them; the JIT swaps in its AES-NI and SHA-1 loops by call count): the ceiling of each stage
 * of the encryptor. A warm-up round, then alternating rounds, medians. Printed as a markdown table by
 * {@link PgpBenchmark}.
 */
final class PgpPrimitives {
    private static final int CHUNK = OpenPgpCfbOutputStream.SLICE;
    private static final long BYTES = 64L << 20;
    private static final int ROUNDS = 5;

    private static final String[] NAMES = {"AES-256 CFB, JDK `AES/CFB/NoPadding` (one AES call per 16-byte block)",
            "AES-256 CFB, roma-dr `OpenPgpCfbOutputStream` (JDK `AES/CBC` loop, 64 KiB writes)",
            "AES-256 CBC encrypt, JDK (the serial AES-NI chain alone)",
            "AES-256 one 16-byte block per `Cipher.update` call (ECB)",
            "AES-256 CTR, JDK (not chained: what AES-NI does when blocks are independent)",
            "SHA-1, JDK `MessageDigest` (the MDC)", "SHA-1, Bouncy Castle `SHA1Digest`"};

    private PgpPrimitives() {
    }

    static String table() throws GeneralSecurityException, java.io.IOException {
        byte[] data = new byte[CHUNK];
        new Random(1).nextBytes(data);
        byte[] out = new byte[CHUNK];
        byte[] key = new byte[32];
        List<double[]> rows = new ArrayList<>();
        for (int k = 0; k < NAMES.length; k++) {
            run(k, data, out, key); // warm-up: let the JIT compile every path first
        }
        for (int round = 0; round < ROUNDS; round++) {
            double[] mibPerSecond = new double[NAMES.length];
            for (int k = 0; k < NAMES.length; k++) {
                int which = round % 2 == 0 ? k : NAMES.length - 1 - k;
                long t0 = System.nanoTime();
                long bytes = run(which, data, out, key);
                mibPerSecond[which] = bytes / 1048576.0 / ((System.nanoTime() - t0) / 1e9);
            }
            rows.add(mibPerSecond);
        }
        double[] medians = BenchmarkSupport.columnMedians(rows, NAMES.length);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n#### Primitives, one thread, from memory (%d MiB each in %d KiB calls, "
                + "a warm-up round, then %d alternating rounds, median)%n%n", BYTES >> 20, CHUNK >> 10, ROUNDS));
        sb.append("| primitive | MiB/s | ns per 16-byte block |\n| --- | --- | --- |\n");
        for (int k = 0; k < NAMES.length; k++) {
            sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f |%n", NAMES[k], medians[k],
                    16 / (medians[k] * 1048576.0) * 1e9));
        }
        return sb.toString();
    }

    private static long run(int which, byte[] data, byte[] out, byte[] key)
            throws GeneralSecurityException, java.io.IOException {
        switch (which) {
            case 0 -> {
                return cipher("AES/CFB/NoPadding", key, data, out, CHUNK);
            }
            case 1 -> {
                byte[] write = new byte[OpenPgpCfbOutputStream.BUFFER];
                try (OutputStream cfb = new OpenPgpCfbOutputStream(OutputStream.nullOutputStream(), key)) {
                    for (long n = 0; n < BYTES; n += write.length) {
                        cfb.write(write, 0, write.length);
                    }
                }
                return BYTES;
            }
            case 2 -> {
                return cipher("AES/CBC/NoPadding", key, data, out, CHUNK);
            }
            case 3 -> {
                // a quarter of the data: one call per block is slow
                Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
                long blocks = BYTES / 4 / 16;
                for (long b = 0; b < blocks; b++) {
                    int off = (int) (b % (CHUNK / 16)) * 16;
                    ecb.update(data, off, 16, out, off);
                }
                return blocks * 16;
            }
            case 4 -> {
                return cipher("AES/CTR/NoPadding", key, data, out, CHUNK);
            }
            case 5 -> {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                for (long n = 0; n < BYTES; n += CHUNK) {
                    sha1.update(data, 0, CHUNK);
                }
                sha1.digest();
                return BYTES;
            }
            default -> {
                SHA1Digest sha1 = new SHA1Digest();
                for (long n = 0; n < BYTES; n += CHUNK) {
                    sha1.update(data, 0, CHUNK);
                }
                sha1.doFinal(out, 0);
                return BYTES;
            }
        }
    }

    private static long cipher(String transformation, byte[] key, byte[] data, byte[] out, int chunk)
            throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(transformation);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        for (long n = 0; n < BYTES; n += chunk) {
            c.update(data, 0, chunk, out, 0);
        }
        return BYTES;
    }
}
