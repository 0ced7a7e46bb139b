package io.romadr.activities.crypto;

import io.romadr.activities.stream.SingleByteRead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPDataValidationException;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPMarker;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;

/**
 * Decrypts OpenPGP messages (binary or armoured; compressed or not; RSA or ECDH Curve25519 keys as gpg makes them)
 * with a passphrase-protected secret key, and enforces the integrity check: messages without one (no MDC / AEAD)
 * are refused, and a modified message fails with {@code OpenPgpException("integrity check failed ...")}.
 *
 * <p><b>Streaming callers:</b> the integrity check can only run at the end of the message, so bytes returned by
 * {@link #decrypt(InputStream, PgpSecretKeys, char[])} before EOF are <em>unverified</em>. Read to EOF (where a
 * failed check throws) before trusting or committing any of it, e.g. write to a temporary file and move it into
 * place only after EOF. {@link #decryptToBytes} does that for small payloads (secrets exports).
 *
 * <p>The passphrase array belongs to the caller, who should zero it once the call returns; it is not copied or
 * kept. Signatures inside the message (gpg --sign --encrypt) are skipped, not verified.
 */
public final class OpenPgpDecryptor {

    /**
     * Starts decrypting: returns the plaintext stream. The integrity check runs when the stream reaches EOF: a
     * failed check throws from {@code read} then. Closing the returned stream closes {@code in}.
     */
    public InputStream decrypt(InputStream in, PgpSecretKeys keys, char[] passphrase) throws IOException {
        JcaPGPObjectFactory outer = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(in));
        Object first = nextObject(outer, "not an OpenPGP message");
        while (first instanceof PGPMarker) {
            first = nextObject(outer, "not an OpenPGP message");
        }
        if (!(first instanceof PGPEncryptedDataList list)) {
            throw new OpenPgpException("not an OpenPGP encrypted message (first packet: "
                    + (first == null ? "none" : first.getClass().getSimpleName()) + ")");
        }
        List<String> messageKeyIds = new ArrayList<>();
        PGPPublicKeyEncryptedData chosen = null;
        PGPSecretKey secretKey = null;
        for (PGPEncryptedData data : list) {
            if (data instanceof PGPPublicKeyEncryptedData pk) {
                messageKeyIds.add(OpenPgpKeys.keyIdHex(pk.getKeyID()));
                PGPSecretKey candidate = keys.find(pk.getKeyID());
                if (candidate != null && chosen == null) {
                    chosen = pk;
                    secretKey = candidate;
                }
            }
        }
        if (chosen == null) {
            throw new OpenPgpException("not encrypted to this key (key ids in the message: " + messageKeyIds
                    + "; this key's decryption key ids: " + keys.decryptionKeyIds() + ", primary "
                    + keys.primaryFingerprints() + ")");
        }
        if (!chosen.isIntegrityProtected() && !chosen.isAEAD()) {
            throw new OpenPgpException("message is not integrity protected (no MDC): refusing to decrypt it");
        }
        String keyName = OpenPgpKeys.fingerprintHex(secretKey.getPublicKey());
        PGPPrivateKey privateKey;
        try {
            privateKey = secretKey.extractPrivateKey(new JcePBESecretKeyDecryptorBuilder(
                    new JcaPGPDigestCalculatorProviderBuilder().setProvider(OpenPgpKeys.BC).build())
                    .setProvider(OpenPgpKeys.BC)
                    .build(passphrase));
        } catch (PGPException | RuntimeException e) {
            // BC says "checksum mismatch": the usual cause is the passphrase; the passphrase itself is never shown
            throw new OpenPgpException("wrong passphrase for secret key " + keyName + " (or the key is damaged)");
        }
        InputStream clear;
        try {
            clear = chosen.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder()
                    .setProvider(OpenPgpKeys.BC)
                    .build(privateKey));
        } catch (PGPDataValidationException e) {
            throw new OpenPgpException("integrity check failed: the decryption check bytes do not match "
                    + "(modified message or damaged key " + keyName + ")", e);
        } catch (PGPException | RuntimeException e) {
            throw new OpenPgpException("cannot decrypt the session key with key " + keyName + ": " + e.getMessage(),
                    e);
        }
        try {
            JcaPGPObjectFactory inner = new JcaPGPObjectFactory(clear);
            Object packet = inner.nextObject();
            if (packet instanceof PGPCompressedData compressed) {
                inner = new JcaPGPObjectFactory(compressed.getDataStream());
                packet = inner.nextObject();
            }
            while (packet instanceof PGPOnePassSignatureList || packet instanceof PGPSignatureList
                    || packet instanceof PGPMarker) {
                packet = inner.nextObject();
            }
            if (!(packet instanceof PGPLiteralData literal)) {
                throw integrityFailureOr(chosen, new OpenPgpException("no literal data in the decrypted message"));
            }
            return new VerifyingStream(literal.getInputStream(), chosen, in);
        } catch (OpenPgpException e) {
            throw e;
        } catch (IOException | PGPException | RuntimeException e) {
            // garbled inner packets are what a modified ciphertext looks like: let the MDC decide
            throw integrityFailureOr(chosen, new OpenPgpException("malformed decrypted message: " + e.getMessage(), e));
        }
    }

    /** Decrypts everything into {@code out}; returns the plaintext size. On an exception, discard what was written. */
    public long decrypt(InputStream in, OutputStream out, PgpSecretKeys keys, char[] passphrase) throws IOException {
        try (InputStream plain = decrypt(in, keys, passphrase)) {
            return plain.transferTo(out);
        }
    }

    /**
     * Decrypts a small message fully in memory and returns the plaintext only once the integrity check has passed.
     * Fails if the plaintext exceeds {@code maxBytes}.
     */
    public byte[] decryptToBytes(InputStream in, PgpSecretKeys keys, char[] passphrase, int maxBytes)
            throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (InputStream plain = decrypt(in, keys, passphrase)) {
            int n;
            while ((n = plain.read(chunk)) >= 0) {
                if (buffer.size() + (long) n > maxBytes) {
                    throw new OpenPgpException("decrypted message is larger than " + maxBytes + " bytes");
                }
                buffer.write(chunk, 0, n);
            }
        }
        return buffer.toByteArray();
    }

    private static Object nextObject(JcaPGPObjectFactory factory, String what) throws OpenPgpException {
        try {
            return factory.nextObject();
        } catch (IOException | RuntimeException e) {
            throw new OpenPgpException(what + ": " + e.getMessage(), e);
        }
    }

    /** Runs the MDC check over the rest of the message: its failure wins over {@code otherwise}. */
    static OpenPgpException integrityFailureOr(PGPEncryptedData data, OpenPgpException otherwise) {
        try {
            if (!data.verify()) {
                return integrityFailed(null);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            return integrityFailed(e);
        }
        return otherwise;
    }

    static OpenPgpException integrityFailed(Exception cause) {
        return new OpenPgpException("integrity check failed: the message was modified or is corrupt; discard "
                + "anything already read from it", cause);
    }

    /** Passes the literal data through; at EOF runs the integrity check and throws if it fails. */
    private static final class VerifyingStream extends InputStream {
        private final InputStream literal;
        private final PGPEncryptedData data;
        private final InputStream source;
        private boolean verified;

        VerifyingStream(InputStream literal, PGPEncryptedData data, InputStream source) {
            this.literal = literal;
            this.data = data;
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            return SingleByteRead.read(this);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (verified) {
                return -1;
            }
            int n;
            try {
                n = literal.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                verified = true;
                throw integrityFailureOr(data, new OpenPgpException("cannot read the decrypted message: "
                        + e.getMessage(), e));
            }
            if (n < 0) {
                verified = true;
                OpenPgpException failure = integrityFailureOr(data, null);
                if (failure != null) {
                    throw failure;
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}
