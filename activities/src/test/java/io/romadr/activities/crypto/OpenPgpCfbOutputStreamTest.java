package io.romadr.activities.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CBC-computed CFB must be byte for byte the JDK's own AES/CFB/NoPadding (zero IV, as OpenPGP uses it) for every
 * length (empty, shorter than a block, odd last block, exactly the buffer, one past it) and however the bytes are
 * split into writes and flushes.
 */
class OpenPgpCfbOutputStreamTest {
    private static final int BUF = OpenPgpCfbOutputStream.BUFFER;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 15, 16, 17, 31, 32, 33, 1000, BUF - 1, BUF, BUF + 1, BUF + 16, 3 * BUF + 7, 300_001})
    void matchesTheJdkCfbForEveryLengthAndWritePattern(int length) throws Exception {
        Random random = new Random(length);
        for (int keyBytes : new int[]{16, 24, 32}) {
            byte[] key = new byte[keyBytes];
            random.nextBytes(key);
            byte[] plain = new byte[length];
            random.nextBytes(plain);
            byte[] expected = jdkCfb(key, plain);

            assertArrayEquals(expected, cbcCfb(key, plain, new Random(1), false), "one write per random chunk");
            assertArrayEquals(expected, cbcCfb(key, plain, new Random(2), true), "random chunks and flushes");
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            try (OutputStream cfb = new OpenPgpCfbOutputStream(whole, key)) {
                cfb.write(plain);
            }
            assertArrayEquals(expected, whole.toByteArray(), "one write");
            ByteArrayOutputStream single = new ByteArrayOutputStream();
            try (OutputStream cfb = new OpenPgpCfbOutputStream(single, key)) {
                for (int i = 0; i < Math.min(length, 100); i++) {
                    cfb.write(plain[i]);
                }
                cfb.write(plain, Math.min(length, 100), length - Math.min(length, 100));
            }
            assertArrayEquals(expected, single.toByteArray(), "single bytes first");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 16, 40})
    void closeWritesTheLastPartialBlockAndClosesTheTarget(int length) throws Exception {
        boolean[] targetClosed = {false};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public void close() {
                targetClosed[0] = true;
            }
        };
        byte[] key = new byte[32];
        OpenPgpCfbOutputStream cfb = new OpenPgpCfbOutputStream(bytes, key);
        cfb.write(new byte[length]);
        cfb.flush();
        assertTrue(bytes.size() == length - length % 16, "flush writes whole blocks only: " + bytes.size());
        cfb.close();
        cfb.close();
        assertTrue(targetClosed[0], "close closes the target");
        assertArrayEquals(jdkCfb(key, new byte[length]), bytes.toByteArray());
    }

    private static byte[] cbcCfb(byte[] key, byte[] plain, Random split, boolean flushes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream cfb = new OpenPgpCfbOutputStream(out, key)) {
            int off = 0;
            while (off < plain.length) {
                int n = Math.min(plain.length - off, split.nextInt(3 * BUF / 2) + 1);
                if (split.nextInt(4) == 0) {
                    n = Math.min(n, split.nextInt(40) + 1); // small writes across block edges too
                }
                cfb.write(plain, off, n);
                off += n;
                if (flushes && split.nextBoolean()) {
                    cfb.flush();
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] jdkCfb(byte[] key, byte[] plain) throws Exception {
        Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
        cfb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cfb.doFinal(plain);
    }
}
