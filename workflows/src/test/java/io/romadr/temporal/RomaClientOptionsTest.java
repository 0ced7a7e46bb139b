package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one converter of every roma-dr client: in clear without keys, every payload and failure encrypted with. */
class RomaClientOptionsTest {
    private static final String CANARY = "canary-db1.roma.internal";
    private static final PayloadKeys KEYS = PayloadKeys.parse(PayloadKeys.generateLine("k-test"), "test");

    @Test
    void withoutKeysPayloadsAreJsonAsTemporalWritesThem() {
        WorkflowClientOptions options = RomaClientOptions.of("default", null);
        assertTrue(RomaClientOptions.applied(options));
        assertTrue(RomaClientOptions.keys(options).isEmpty());
        assertInstanceOf(InputDataConverter.class, options.getDataConverter());
        Payload payload = options.getDataConverter().toPayload(CANARY).orElseThrow();
        assertEquals("json/plain", payload.getMetadataOrThrow("encoding").toStringUtf8());
        assertTrue(RomaClientOptions.encryption(options).startsWith("payloads not encrypted"));
        assertFalse(RomaClientOptions.applied(WorkflowClientOptions.newBuilder().build()));
    }

    @Test
    void withKeysEveryPayloadIsCiphertextAndInputsAreStillReadStrictly() {
        WorkflowClientOptions options = RomaClientOptions.of("default", KEYS);
        assertTrue(RomaClientOptions.applied(options));
        assertEquals("payloads encrypted with key k-test (test, 1 key(s))", RomaClientOptions.encryption(options));
        // a schedule's workflow input is a payload too
        assertSame(options.getDataConverter(), RomaClientOptions.schedules(options).getDataConverter());
        assertEquals("default", RomaClientOptions.schedules(options).getNamespace());
        DataConverter converter = options.getDataConverter();
        ServiceRecoveryRequest request = new ServiceRecoveryRequest("roma", "alert " + CANARY, "junit");

        Payloads payloads = converter.toPayloads(request).orElseThrow();
        Payload payload = payloads.getPayloads(0);
        assertTrue(AesGcmPayloadCodec.isEncrypted(payload));
        assertFalse(payload.toByteString().toString(StandardCharsets.ISO_8859_1).contains(CANARY));
        assertEquals(request, converter.fromPayloads(0, Optional.of(payloads), ServiceRecoveryRequest.class,
                ServiceRecoveryRequest.class));
        // the strict input reading still applies behind the codec
        Payloads unknownField = converter.toPayloads(java.util.Map.of("plan", "roma", "force", true)).orElseThrow();
        assertThrows(InvalidWorkflowInput.class, () -> converter.fromPayloads(0, Optional.of(unknownField),
                ServiceRecoveryRequest.class, ServiceRecoveryRequest.class));
    }

    @Test
    void failureMessagesAndStackTracesAreEncryptedAndReadBack() {
        DataConverter converter = RomaClientOptions.of("default", KEYS).getDataConverter();
        Failure failure = converter.exceptionToFailure(ApplicationFailure.newFailure("cannot reach " + CANARY,
                "Unreachable"));
        assertFalse(failure.toByteString().toString(StandardCharsets.ISO_8859_1).contains(CANARY));
        assertEquals("Encoded failure", failure.getMessage());
        assertTrue(AesGcmPayloadCodec.isEncrypted(failure.getEncodedAttributes()));
        assertTrue(converter.failureToException(failure).getMessage().contains("cannot reach " + CANARY));
    }

    @Test
    void aPayloadOfAnotherKeyFailsNamingThatKey() {
        Payloads old = RomaClientOptions.of("default", KEYS).getDataConverter().toPayloads(CANARY).orElseThrow();
        DataConverter other = RomaClientOptions.converter(PayloadKeys.parse(PayloadKeys.generateLine("k-new"),
                "file /run/keys"));
        var e = assertThrows(PayloadCodecException.class, () -> other.fromPayloads(0, Optional.of(old),
                String.class, String.class));
        assertTrue(e.getMessage().contains("key k-test, which is not among the payload keys (file /run/keys: k-new)"),
                e.getMessage());
    }
}
