package io.romadr.activities.crypto;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;

/**
 * Secret key rings for restore (still passphrase-protected: the passphrase is only given to
 * {@link OpenPgpDecryptor}). toString lists key ids and user ids only.
 */
public final class PgpSecretKeys {
    private final PGPSecretKeyRingCollection rings;

    PgpSecretKeys(PGPSecretKeyRingCollection rings) {
        this.rings = rings;
    }

    /** The secret (sub)key with this key id that can decrypt, or null. */
    PGPSecretKey find(long keyId) {
        for (PGPSecretKeyRing ring : rings) {
            PGPSecretKey key = ring.getSecretKey(keyId);
            // a gpg "stub" (secret part held elsewhere, e.g. on a card) cannot decrypt
            if (key != null && key.getPublicKey().isEncryptionKey() && !key.isPrivateKeyEmpty()) {
                return key;
            }
        }
        return null;
    }

    /** Key ids (16 hex digits) of the keys here that can decrypt. */
    public List<String> decryptionKeyIds() {
        List<String> ids = new ArrayList<>();
        for (PGPSecretKeyRing ring : rings) {
            for (Iterator<PGPSecretKey> it = ring.getSecretKeys(); it.hasNext();) {
                PGPSecretKey key = it.next();
                if (key.getPublicKey().isEncryptionKey() && !key.isPrivateKeyEmpty()) {
                    ids.add(OpenPgpKeys.keyIdHex(key.getKeyID()));
                }
            }
        }
        return ids;
    }

    /** Hex fingerprints of the primary keys, for messages and logs. */
    public List<String> primaryFingerprints() {
        List<String> fprs = new ArrayList<>();
        for (PGPSecretKeyRing ring : rings) {
            fprs.add(OpenPgpKeys.fingerprintHex(ring.getPublicKey()));
        }
        return fprs;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (PGPSecretKeyRing ring : rings) {
            parts.add(OpenPgpKeys.fingerprintHex(ring.getPublicKey()) + " "
                    + OpenPgpKeys.firstUserId(ring.getPublicKey()));
        }
        return "PgpSecretKeys" + parts;
    }
}
