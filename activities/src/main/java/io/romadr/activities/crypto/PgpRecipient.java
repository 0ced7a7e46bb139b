package io.romadr.activities.crypto;

import org.bouncycastle.openpgp.PGPPublicKey;

/**
 * One recipient of an encrypted file: the encryption-capable (sub)key chosen from its key ring.
 *
 * @param primaryFingerprint hex fingerprint of the key ring's primary key (what people compare)
 * @param keyFingerprint hex fingerprint of the (sub)key messages are actually encrypted to
 * @param userId the ring's first user id, or "(no user id)"
 * @param encryptionKey the public key used for encryption
 */
public record PgpRecipient(String primaryFingerprint, String keyFingerprint, String userId,
        PGPPublicKey encryptionKey) {

    /** The 64-bit key id that appears in messages encrypted to this recipient, as 16 hex digits. */
    public String keyId() {
        return OpenPgpKeys.keyIdHex(encryptionKey.getKeyID());
    }

    @Override
    public String toString() {
        return "PgpRecipient[" + userId + ", primary " + primaryFingerprint + ", encryption key " + keyFingerprint
                + "]";
    }
}
