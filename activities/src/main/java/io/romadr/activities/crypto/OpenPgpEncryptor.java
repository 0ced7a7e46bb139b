package io.romadr.activities.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * Streaming OpenPGP encryption to one or more public keys: binary OpenPGP, AES-256, integrity-protected (SEIPD
 * version 1 with MDC, which gpg 2.2 and every other OpenPGP implementation reads), one literal data packet.
 *
 * <p>Memory is constant: every layer writes partial-length packets through a fixed 64 KiB buffer, whatever the
 * size of the data.
 *
 * <p>Compression is off by default: what roma-dr encrypts is mostly already compressed (tar.gz snapshots, database
 * dumps piped through gzip), where zlib costs CPU for nothing, and secrets exports are tiny. {@link Compression#ZLIB}
 * is there for callers that encrypt raw text.
 *
 * <p>The session key is wrapped with Bouncy Castle (RSA, ECDH Curve25519); the bulk AES-CFB is computed with the
 * JDK's AES/CBC, which the JVM runs as one AES-NI loop ({@link OpenPgpCfbOutputStream}), and the MDC's SHA-1 runs on
 * a second thread ({@link PipelinedMdcEncryptorBuilder}).
 */
public final class OpenPgpEncryptor {
    static final int BUFFER_SIZE = 1 << 16;

    public enum Compression {
        NONE, ZLIB
    }

    private final Compression compression;
    private final SecureRandom random;

    public OpenPgpEncryptor() {
        this(Compression.NONE);
    }

    public OpenPgpEncryptor(Compression compression) {
        this(compression, new SecureRandom());
    }

    public OpenPgpEncryptor(Compression compression, SecureRandom random) {
        this.compression = compression;
        this.random = random;
    }

    /**
     * Returns a stream that encrypts what is written to it into {@code out}. Closing the returned stream finishes the
     * OpenPGP message (MDC included) but does not close {@code out}: the caller owns it. Data is only a valid message
     * once the returned stream is closed.
     */
    public OutputStream encrypt(OutputStream out, List<PgpRecipient> recipients) throws IOException {
        if (recipients == null || recipients.isEmpty()) {
            throw new OpenPgpException("no recipients: refusing to encrypt to nobody");
        }
        PGPEncryptedDataGenerator encGen = new PGPEncryptedDataGenerator(
                new PipelinedMdcEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, random));
        for (PgpRecipient r : recipients) {
            encGen.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(r.encryptionKey())
                    .setProvider(OpenPgpKeys.BC)
                    .setSecureRandom(random));
        }
        try {
            OutputStream encrypted = encGen.open(out, new byte[BUFFER_SIZE]);
            PGPCompressedDataGenerator compGen = null;
            OutputStream literalTarget = encrypted;
            if (compression == Compression.ZLIB) {
                compGen = new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB);
                literalTarget = compGen.open(encrypted, new byte[BUFFER_SIZE]);
            }
            PGPLiteralDataGenerator litGen = new PGPLiteralDataGenerator();
            OutputStream literal = litGen.open(literalTarget, PGPLiteralData.BINARY, "", new Date(),
                    new byte[BUFFER_SIZE]);
            return new EncryptingStream(literal, litGen, compGen, encGen);
        } catch (PGPException e) {
            // e.g. a recipient key BC cannot use: name the keys, nothing else is in play yet
            throw new OpenPgpException("cannot encrypt to " + recipients + ": " + e.getMessage(), e);
        }
    }

    /** Writes go straight to the literal packet; close finishes the layers innermost first. */
    private static final class EncryptingStream extends OutputStream {
        private final OutputStream literal;
        private final PGPLiteralDataGenerator litGen;
        private final PGPCompressedDataGenerator compGen;
        private final PGPEncryptedDataGenerator encGen;
        private boolean closed;

        EncryptingStream(OutputStream literal, PGPLiteralDataGenerator litGen, PGPCompressedDataGenerator compGen,
                PGPEncryptedDataGenerator encGen) {
            this.literal = literal;
            this.litGen = litGen;
            this.compGen = compGen;
            this.encGen = encGen;
        }

        @Override
        public void write(int b) throws IOException {
            literal.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            literal.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            literal.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            litGen.close();
            if (compGen != null) {
                compGen.close();
            }
            encGen.close(); // writes the MDC packet
        }
    }
}
