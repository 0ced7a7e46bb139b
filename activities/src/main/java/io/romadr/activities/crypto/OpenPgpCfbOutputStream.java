package io.romadr.activities.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in OpenPGP's CFB mode (full 16-byte feedback, no resync: what SEIPD v1 uses), encrypting, computed with the
 * JDK's AES/CBC encryption, which the JVM runs as one AES-NI loop per call instead of one call per 16-byte block.
 *
 * <p>Why CBC gives CFB: CFB's keystream is {@code K[0] = E(IV)}, {@code K[i] = E(C[i-1])} with
 * {@code C[i] = P[i] xor K[i]}. CBC over the plaintext delayed by one block, {@code X = 0, P[0], P[1], ...} with the
 * same IV, outputs {@code Y[0] = E(0 xor IV) = K[0]} and {@code Y[i] = E(P[i-1] xor Y[i-1]) = E(C[i-1]) = K[i]}. So
 * the CBC output is the CFB keystream, and the ciphertext is the plaintext xor that output. The chain is still
 * serial (no block can start before the previous one ends), but it runs without leaving the AES instructions.
 *
 * <p>Bytes are buffered to whole blocks; a final partial block is encrypted on {@link #close()}, which also closes
 * {@code out}. {@link #flush()} writes every whole block so far.
 */
final class OpenPgpCfbOutputStream extends OutputStream {
    private static final int BLOCK = 16;
    static final int BUFFER = 1 << 16;
    /**
     * CBC calls of 4 KiB, not 64: the JIT swaps in the AES-NI CBC loop only once the calling code is compiled, which
     * it decides by number of calls; 4 KiB calls got there within the first ~128 MiB (observed) instead of ~300 MiB,
     * and each slice is xored while it is still in the L1 cache.
     */
    static final int SLICE = 1 << 12;

    private final OutputStream out;
    private final Cipher cbc;
    /** [0, 16): the CBC input that precedes the buffered plaintext (the last whole plaintext block, first zero). */
    private final byte[] buffer = new byte[BLOCK + BUFFER];
    private final byte[] keystream = new byte[BUFFER];
    private int filled;
    private boolean closed;

    /** {@code key} is an AES key (16, 24 or 32 bytes); the IV is OpenPGP's, all zero. */
    OpenPgpCfbOutputStream(OutputStream out, byte[] key) {
        this.out = out;
        try {
            cbc = Cipher.getInstance("AES/CBC/NoPadding");
            cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[BLOCK]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot run AES/CBC: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BUFFER - filled);
            System.arraycopy(b, off, buffer, BLOCK + filled, n);
            filled += n;
            off += n;
            len -= n;
            if (filled == BUFFER) {
                encryptWholeBlocks();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        encryptWholeBlocks();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        encryptWholeBlocks();
        if (filled > 0) {
            // the last, partial block: its keystream is E(last ciphertext block), i.e. CBC of the last whole block
            encrypt(filled);
            filled = 0;
        }
        out.close();
    }

    private void encryptWholeBlocks() throws IOException {
        int n = filled - filled % BLOCK;
        if (n == 0) {
            return;
        }
        encrypt(n);
        // the last whole plaintext block becomes the next CBC input; a partial block moves to the front
        System.arraycopy(buffer, n, buffer, 0, BLOCK + filled - n);
        filled -= n;
    }

    /**
     * Encrypts the first n buffered bytes and writes them: the keystream is the CBC of buffer[0, n rounded up to a
     * block), i.e. the previous plaintext block and the buffered bytes before the last block.
     */
    private void encrypt(int n) throws IOException {
        try {
            for (int off = 0; off < n; off += SLICE) {
                int len = Math.min(SLICE, n - off);
                int whole = (len + BLOCK - 1) / BLOCK * BLOCK;
                if (cbc.update(buffer, off, whole, keystream, off) != whole) {
                    throw new IllegalStateException("AES/CBC returned a partial result for whole blocks");
                }
                for (int i = off; i < off + len; i++) {
                    keystream[i] ^= buffer[BLOCK + i];
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("AES/CBC failed: " + e.getClass().getSimpleName(), e);
        }
        out.write(keystream, 0, n);
    }
}
