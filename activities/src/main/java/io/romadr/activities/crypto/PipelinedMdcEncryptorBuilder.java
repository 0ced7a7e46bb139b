package io.romadr.activities.crypto;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.operator.PGPDataEncryptor;
import org.bouncycastle.openpgp.operator.PGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;

/**
 * AES SEIPD v1 encryptor: the CFB encryption is {@link OpenPgpCfbOutputStream} (the JDK's AES-NI CBC loop computing
 * OpenPGP's CFB), and the MDC (SHA-1 of the plaintext) runs on another thread. Both are serial over the stream, so
 * overlapping them is the one way to use a second core. Memory stays bounded: at most {@link #IN_FLIGHT} chunks of
 * 64 KiB wait for the digest. BC's JCE builder still supplies what the generator asks of a builder (algorithm,
 * random source).
 */
final class PipelinedMdcEncryptorBuilder implements PGPDataEncryptorBuilder {
    static final int CHUNK = 1 << 16;
    static final int IN_FLIGHT = 4;
    private static final int AES_BLOCK_SIZE = 16;

    /** Shared daemon threads; a message's chunks are chained, so they are digested in order, one at a time. */
    private static final ExecutorService DIGESTERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "roma-pgp-mdc");
        t.setDaemon(true);
        return t;
    });

    private final JcePGPDataEncryptorBuilder delegate;

    PipelinedMdcEncryptorBuilder(int algorithm, SecureRandom random) {
        if (algorithm != SymmetricKeyAlgorithmTags.AES_128 && algorithm != SymmetricKeyAlgorithmTags.AES_192
                && algorithm != SymmetricKeyAlgorithmTags.AES_256) {
            throw new IllegalArgumentException("only AES is supported, not algorithm " + algorithm);
        }
        this.delegate = new JcePGPDataEncryptorBuilder(algorithm).setWithIntegrityPacket(true).setSecureRandom(random);
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes) throws PGPException {
        byte[] key = keyBytes.clone();
        PGPDigestCalculator mdc = new PipelinedSha1();
        return new PGPDataEncryptor() {
            @Override
            public OutputStream getOutputStream(OutputStream out) {
                return new OpenPgpCfbOutputStream(out, key);
            }

            @Override
            public PGPDigestCalculator getIntegrityCalculator() {
                return mdc;
            }

            @Override
            public int getBlockSize() {
                return AES_BLOCK_SIZE;
            }
        };
    }

    @Override
    public PGPDataEncryptor build(byte[] keyBytes, byte[] associatedData) throws PGPException {
        throw new PGPException("AEAD is not used: roma-dr writes SEIPD v1 (MDC) so that gpg 2.2 can read it");
    }

    @Override
    public int getAlgorithm() {
        return delegate.getAlgorithm();
    }

    @Override
    public int getAeadAlgorithm() {
        return delegate.getAeadAlgorithm();
    }

    @Override
    public int getChunkSize() {
        return delegate.getChunkSize();
    }

    @Override
    public boolean isV5StyleAEAD() {
        return false;
    }

    @Override
    public SecureRandom getSecureRandom() {
        return delegate.getSecureRandom();
    }

    @Override
    public PGPDataEncryptorBuilder setWithIntegrityPacket(boolean withIntegrityPacket) {
        if (!withIntegrityPacket) {
            throw new IllegalArgumentException("the integrity packet is not optional");
        }
        return this;
    }

    @Override
    public PGPDataEncryptorBuilder setWithAEAD(int aeadAlgorithm, int chunkSize) {
        throw new UnsupportedOperationException("AEAD is not used (gpg 2.2 compatibility)");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV5AEAD() {
        throw new UnsupportedOperationException("AEAD is not used (gpg 2.2 compatibility)");
    }

    @Override
    public PGPDataEncryptorBuilder setUseV6AEAD() {
        throw new UnsupportedOperationException("AEAD is not used (gpg 2.2 compatibility)");
    }

    /** SHA-1 fed in 64 KiB chunks to a digest thread; getDigest waits for the chunks still in flight. */
    static final class PipelinedSha1 implements PGPDigestCalculator {
        private final MessageDigest sha1;
        private final Semaphore slots = new Semaphore(IN_FLIGHT);
        private final ConcurrentLinkedQueue<byte[]> spare = new ConcurrentLinkedQueue<>();
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
        private byte[] current = new byte[CHUNK];
        private int filled;

        PipelinedSha1() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-1", e);
            }
        }

        @Override
        public int getAlgorithm() {
            return HashAlgorithmTags.SHA1;
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    while (len > 0) {
                        int n = Math.min(len, CHUNK - filled);
                        System.arraycopy(b, off, current, filled, n);
                        filled += n;
                        off += n;
                        len -= n;
                        if (filled == CHUNK) {
                            handOff();
                        }
                    }
                }
            };
        }

        private void handOff() {
            byte[] chunk = current;
            int length = filled;
            slots.acquireUninterruptibly(); // back-pressure: the writer waits when the digest thread lags
            tail = tail.thenRunAsync(() -> {
                // 4 KiB calls for the reason OpenPgpCfbOutputStream.SLICE gives: the JIT's SHA-1 loop comes sooner
                for (int off = 0; off < length; off += OpenPgpCfbOutputStream.SLICE) {
                    sha1.update(chunk, off, Math.min(OpenPgpCfbOutputStream.SLICE, length - off));
                }
                spare.offer(chunk);
                slots.release();
            }, DIGESTERS);
            byte[] next = spare.poll();
            current = next != null ? next : new byte[CHUNK];
            filled = 0;
        }

        @Override
        public byte[] getDigest() {
            if (filled > 0) {
                handOff();
            }
            tail.join();
            return sha1.digest();
        }

        @Override
        public void reset() {
            tail.join();
            filled = 0;
            sha1.reset();
        }
    }
}
