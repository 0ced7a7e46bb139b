package io.romadr.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.romadr.temporal.TemporalConfigException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AesGcmPayloadCodecTest {
    private static final String CANARY = "canary-hostname-db1.roma.internal";
    private static final String OLD = PayloadKeys.generateLine("k2026-01");
    private static final String NEW = PayloadKeys.generateLine("k2026-12");

    private static Payload json(String text) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8("{\"host\":\"" + text + "\"}")).build();
    }

    @Test
    void encryptsMetadataAndDataAndDecryptsThemBack() {
        var codec = new AesGcmPayloadCodec(PayloadKeys.parse(NEW, "test"));
        Payload plain = json(CANARY);

        Payload encrypted = codec.encode(List.of(plain)).get(0);

        assertTrue(AesGcmPayloadCodec.isEncrypted(encrypted));
        assertEquals("k2026-12", encrypted.getMetadataOrThrow(AesGcmPayloadCodec.METADATA_KEY_ID).toStringUtf8());
        assertFalse(encrypted.toByteString().toStringUtf8().contains(CANARY));
        assertFalse(encrypted.toByteString().toStringUtf8().contains("json/plain"));
        assertEquals(plain, codec.decode(List.of(encrypted)).get(0));
    }

    @Test
    void theSamePayloadEncryptsDifferentlyEachTime() {
        var codec = new AesGcmPayloadCodec(PayloadKeys.parse(NEW, "test"));
        assertNotEquals(codec.encode(List.of(json(CANARY))).get(0).getData(),
                codec.encode(List.of(json(CANARY))).get(0).getData());
    }

    @Test
    void aRotatedKeySetEncryptsWithTheNewKeyAndStillDecryptsTheOld() {
        Payload old = new AesGcmPayloadCodec(PayloadKeys.parse(OLD, "before")).encode(List.of(json(CANARY))).get(0);
        var rotated = new AesGcmPayloadCodec(PayloadKeys.parse(NEW + "\n" + OLD + "\n", "after"));

        assertEquals(json(CANARY), rotated.decode(List.of(old)).get(0));
        assertEquals("k2026-12", rotated.encode(List.of(json(CANARY))).get(0)
                .getMetadataOrThrow(AesGcmPayloadCodec.METADATA_KEY_ID).toStringUtf8());
    }

    @Test
    void aPayloadOfAnUnknownKeyNamesTheKeyIdNotTheKeys() {
        Payload old = new AesGcmPayloadCodec(PayloadKeys.parse(OLD, "before")).encode(List.of(json(CANARY))).get(0);
        var codec = new AesGcmPayloadCodec(PayloadKeys.parse(NEW, "file /run/keys"));

        var e = assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(old)));

        assertTrue(e.getMessage().contains("k2026-01"), e.getMessage());
        assertTrue(e.getMessage().contains("file /run/keys"), e.getMessage());
        assertFalse(e.getMessage().contains(NEW.split(" ")[1]), e.getMessage());
    }

    @Test
    void aChangedCiphertextOrARelabelledKeyIdFailsAuthentication() {
        var codec = new AesGcmPayloadCodec(PayloadKeys.parse(NEW + "\n" + OLD, "test"));
        Payload encrypted = codec.encode(List.of(json(CANARY))).get(0);
        byte[] data = encrypted.getData().toByteArray();
        data[data.length - 20] ^= 1;
        Payload flipped = encrypted.toBuilder().setData(ByteString.copyFrom(data)).build();
        Payload relabelled = encrypted.toBuilder()
                .putMetadata(AesGcmPayloadCodec.METADATA_KEY_ID, ByteString.copyFromUtf8("k2026-01")).build();

        assertTrue(assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(flipped))).getMessage()
                .contains("failed authentication"));
        assertTrue(assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(relabelled))).getMessage()
                .contains("failed authentication"));
    }

    @Test
    void payloadsWrittenBeforeEncryptionPassThroughDecode() {
        var codec = new AesGcmPayloadCodec(PayloadKeys.parse(NEW, "test"));
        assertEquals(json(CANARY), codec.decode(List.of(json(CANARY))).get(0));
    }

    @Test
    void badKeyLinesNameTheSourceAndLineButNeverTheKey() {
        String shortKey = "k1 c2hvcnQ=";
        var e = assertThrows(TemporalConfigException.class,
                () -> PayloadKeys.parse("# keys\n" + NEW + "\n" + shortKey, "file /run/keys"));
        assertTrue(e.getMessage().contains("file /run/keys") && e.getMessage().contains("line 3"), e.getMessage());
        assertTrue(e.getMessage().contains("5 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("c2hvcnQ="), e.getMessage());

        assertTrue(assertThrows(TemporalConfigException.class, () -> PayloadKeys.parse(NEW + "\n" + NEW, "t"))
                .getMessage().contains("listed twice"));
        assertTrue(assertThrows(TemporalConfigException.class, () -> PayloadKeys.parse("# none\n", "t"))
                .getMessage().contains("no key"));
        assertTrue(assertThrows(TemporalConfigException.class, () -> PayloadKeys.parse("k1 not*base64", "t"))
                .getMessage().contains("not base64"));
    }

    @Test
    void keysComeFromTheFileOrTheEnvironmentAndNeverShowInToString(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("payload-keys");
        Files.writeString(file, NEW + "\n" + OLD + "\n", StandardCharsets.UTF_8);

        PayloadKeys fromFile = PayloadKeys.fromEnvironment(Map.of(PayloadKeys.FILE_ENV, file.toString()));
        PayloadKeys fromText = PayloadKeys.fromEnvironment(Map.of(PayloadKeys.ENV, NEW + ";" + OLD));

        assertEquals(List.of("k2026-12", "k2026-01"), List.copyOf(fromFile.ids()));
        assertEquals(List.copyOf(fromFile.ids()), List.copyOf(fromText.ids()));
        assertArrayEquals(fromFile.key("k2026-01").getEncoded(), fromText.key("k2026-01").getEncoded());
        assertFalse(fromFile.toString().contains(NEW.split(" ")[1]));
        assertNull(PayloadKeys.fromEnvironment(Map.of()));
    }
}
