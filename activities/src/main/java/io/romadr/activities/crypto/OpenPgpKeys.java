package io.romadr.activities.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.KeyFingerPrintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.util.encoders.Hex;

/**
 * Loads OpenPGP keys (ASCII-armoured or binary, as gpg exports them).
 *
 * <p>Recipients: every key ring in the input must have a usable encryption key: not revoked, not expired, an
 * algorithm that can encrypt and (when the self-signature carries key flags) flagged for encryption; the newest such
 * (sub)key is used. Revocation and expiry come from the key's signature packets as stored; the signatures are not
 * verified cryptographically, so the key file itself must come from a trusted place (the plan / config), as with
 * any pinned key.
 */
public final class OpenPgpKeys {
    /** One private BC provider instance, not registered globally: other code keeps the JDK's providers. */
    static final Provider BC = new BouncyCastleProvider();
    static final KeyFingerPrintCalculator FINGERPRINTS = new JcaKeyFingerprintCalculator();

    private OpenPgpKeys() {
    }

    /** All recipients in an armoured (or binary) public key block; fails if any ring has no usable key. */
    public static List<PgpRecipient> readRecipients(String armoured) throws OpenPgpException {
        return readRecipients(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII)), "key text");
    }

    public static List<PgpRecipient> readRecipients(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readRecipients(in, file.toString());
        }
    }

    static List<PgpRecipient> readRecipients(InputStream in, String source) throws OpenPgpException {
        PGPPublicKeyRingCollection rings;
        try {
            rings = new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(in), FINGERPRINTS);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new OpenPgpException("cannot read OpenPGP public keys from " + source + ": " + e.getMessage(), e);
        }
        List<PgpRecipient> out = new ArrayList<>();
        for (PGPPublicKeyRing ring : rings) {
            out.add(selectEncryptionKey(ring, Instant.now()));
        }
        if (out.isEmpty()) {
            throw new OpenPgpException("no OpenPGP public key found in " + source);
        }
        return out;
    }

    /** Picks the newest usable encryption (sub)key of one ring, or explains (by fingerprint) why there is none. */
    public static PgpRecipient selectEncryptionKey(PGPPublicKeyRing ring, Instant now) throws OpenPgpException {
        PGPPublicKey primary = ring.getPublicKey();
        String fpr = fingerprintHex(primary);
        String uid = firstUserId(primary);
        String who = "key " + fpr + " (" + uid + ")";
        if (primary.hasRevocation()) {
            throw new OpenPgpException(who + " is revoked; refusing to encrypt to it");
        }
        Instant primaryExpiry = expiry(primary);
        if (primaryExpiry != null && !primaryExpiry.isAfter(now)) {
            throw new OpenPgpException(who + " expired on " + primaryExpiry + "; refusing to encrypt to it");
        }
        List<String> rejected = new ArrayList<>();
        PGPPublicKey best = null;
        for (PGPPublicKey key : ring) {
            String keyFpr = fingerprintHex(key);
            if (!key.isEncryptionKey()) {
                rejected.add(keyFpr + ": algorithm " + key.getAlgorithm() + " cannot encrypt");
                continue;
            }
            Integer flags = keyFlags(primary, key);
            if (flags != null && (flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) == 0) {
                rejected.add(keyFpr + ": not flagged for encryption");
                continue;
            }
            if (key != primary && key.hasRevocation()) {
                rejected.add(keyFpr + ": revoked");
                continue;
            }
            Instant keyExpiry = key == primary ? primaryExpiry : expiry(key);
            if (keyExpiry != null && !keyExpiry.isAfter(now)) {
                rejected.add(keyFpr + ": expired on " + keyExpiry);
                continue;
            }
            if (best == null || key.getCreationTime().after(best.getCreationTime())) {
                best = key;
            }
        }
        if (best == null) {
            throw new OpenPgpException(who + " has no usable encryption key " + rejected);
        }
        return new PgpRecipient(fpr, fingerprintHex(best), uid, best);
    }

    /** Secret key rings (passphrase-protected, as {@code gpg --export-secret-keys --armor} writes them). */
    public static PgpSecretKeys readSecretKeys(String armoured) throws OpenPgpException {
        return readSecretKeys(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII)), "key text");
    }

    public static PgpSecretKeys readSecretKeys(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readSecretKeys(in, file.toString());
        }
    }

    /** Reads the armoured secret key from an environment variable (the message names the variable, never its value). */
    public static PgpSecretKeys readSecretKeysFromEnv(String variable) throws OpenPgpException {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new OpenPgpException("environment variable " + variable + " is not set (expected an armoured "
                    + "OpenPGP secret key)");
        }
        return readSecretKeys(new ByteArrayInputStream(value.getBytes(StandardCharsets.US_ASCII)),
                "environment variable " + variable);
    }

    static PgpSecretKeys readSecretKeys(InputStream in, String source) throws OpenPgpException {
        PGPSecretKeyRingCollection rings;
        try {
            rings = new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(in), FINGERPRINTS);
        } catch (IOException | PGPException | RuntimeException e) {
            // BC's messages describe packet structure only, never key material
            throw new OpenPgpException("cannot read OpenPGP secret keys from " + source + ": " + e.getMessage(), e);
        }
        if (rings.size() == 0) {
            throw new OpenPgpException("no OpenPGP secret key found in " + source);
        }
        return new PgpSecretKeys(rings);
    }

    public static String fingerprintHex(PGPPublicKey key) {
        return Hex.toHexString(key.getFingerprint()).toUpperCase(Locale.ROOT);
    }

    public static String keyIdHex(long keyId) {
        return String.format(Locale.ROOT, "%016X", keyId);
    }

    static String firstUserId(PGPPublicKey primary) {
        Iterator<String> ids = primary.getUserIDs();
        return ids.hasNext() ? ids.next() : "(no user id)";
    }

    /** Key flags from the newest self-signature (primary) or binding signature (subkey) that has them, else null. */
    private static Integer keyFlags(PGPPublicKey primary, PGPPublicKey key) {
        PGPSignature newest = null;
        for (Iterator<PGPSignature> it = key.getSignatures(); it.hasNext();) {
            PGPSignature sig = it.next();
            boolean relevant = key == primary
                    ? sig.getKeyID() == primary.getKeyID() && (sig.isCertification()
                            || sig.getSignatureType() == PGPSignature.DIRECT_KEY)
                    : sig.getSignatureType() == PGPSignature.SUBKEY_BINDING;
            PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
            if (relevant && hashed != null
                    && hashed.hasSubpacket(org.bouncycastle.bcpg.SignatureSubpacketTags.KEY_FLAGS)
                    && (newest == null || sig.getCreationTime().after(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return newest == null ? null : newest.getHashedSubPackets().getKeyFlags();
    }

    private static Instant expiry(PGPPublicKey key) {
        long validSeconds = key.getValidSeconds();
        return validSeconds <= 0 ? null : key.getCreationTime().toInstant().plusSeconds(validSeconds);
    }
}
