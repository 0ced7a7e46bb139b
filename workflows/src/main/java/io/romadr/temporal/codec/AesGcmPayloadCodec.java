package io.romadr.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts each Temporal payload (its metadata and data, serialized) with AES-256-GCM from the JDK's provider: a
 * random 96-bit nonce per payload, the 128-bit tag, the key id as associated data so a payload cannot be passed off
 * under another key's id. The encrypted payload says {@code encoding: binary/encrypted} and names its key in
 * {@code encryption-key-id}, so a rotated key set still decrypts older histories. Payloads that are not encrypted
 * pass through decode unchanged (histories written before encryption was turned on stay readable).
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
    public static final String ENCODING = "binary/encrypted";
    public static final String METADATA_KEY_ID = "encryption-key-id";
    public static final String METADATA_CIPHER = "encryption-cipher";
    static final String CIPHER = "AES/GCM/NoPadding";
    private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
    private static final ByteString CIPHER_BYTES = ByteString.copyFromUtf8(CIPHER);
    private static final String METADATA_ENCODING = "encoding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final PayloadKeys keys;
    private final SecureRandom random = new SecureRandom();

    public AesGcmPayloadCodec(PayloadKeys keys) {
        this.keys = keys;
    }

    public PayloadKeys keys() {
        return keys;
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(encrypt(payload));
        }
        return out;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (Payload payload : payloads) {
            out.add(isEncrypted(payload) ? decrypt(payload) : payload);
        }
        return out;
    }

    /** Whether this payload is one this codec wrote (whatever key). */
    public static boolean isEncrypted(Payload payload) {
        return ENCODING_BYTES.equals(payload.getMetadataOrDefault(METADATA_ENCODING, ByteString.EMPTY));
    }

    private Payload encrypt(Payload payload) {
        String id = keys.currentId();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] plain = payload.toByteArray();
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.current(), nonce, id);
            ByteBuffer data = ByteBuffer.allocate(NONCE_BYTES + cipher.getOutputSize(plain.length));
            data.put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plain), data);
            data.flip();
            return Payload.newBuilder()
                    .putMetadata(METADATA_ENCODING, ENCODING_BYTES)
                    .putMetadata(METADATA_CIPHER, CIPHER_BYTES)
                    .putMetadata(METADATA_KEY_ID, ByteString.copyFromUtf8(id))
                    .setData(ByteString.copyFrom(data))
                    .build();
        } catch (GeneralSecurityException e) {
            throw new PayloadCodecException("cannot encrypt a payload with key " + id + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private Payload decrypt(Payload payload) {
        ByteString idBytes = payload.getMetadataOrDefault(METADATA_KEY_ID, ByteString.EMPTY);
        String id = idBytes.toStringUtf8();
        if (id.isEmpty()) {
            throw new PayloadCodecException("an encrypted payload without " + METADATA_KEY_ID + "; it was not"
                    + " written by roma-dr's codec");
        }
        SecretKey key = keys.key(id);
        if (key == null) {
            throw new PayloadCodecException("a payload encrypted with key " + id + ", which is not among the payload"
                    + " keys (" + keys.source() + ": " + String.join(", ", keys.ids()) + "); add it below the"
                    + " current key");
        }
        byte[] data = payload.getData().toByteArray();
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new PayloadCodecException("an encrypted payload (key " + id + ") too short to be one");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, data, id);
            byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
            return Payload.parseFrom(plain);
        } catch (AEADBadTagException e) {
            throw new PayloadCodecException("an encrypted payload (key " + id + ") failed authentication: it was"
                    + " changed, or another key carries the id " + id);
        } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
            throw new PayloadCodecException("cannot decrypt a payload with key " + id + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** A cipher for the nonce at the start of {@code nonce} (the nonce alone, or the stored data it leads). */
    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce, 0, NONCE_BYTES));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
