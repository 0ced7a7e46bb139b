package io.romadr.temporal.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import java.util.List;

/**
 * The SDK's {@link CodecDataConverter} around roma-dr's converter with the {@link AesGcmPayloadCodec}, failure
 * messages and stack traces included (the SDK's encoded failure attributes). A class of its own only so a client's
 * options can say which keys they encrypt with ({@link #keys()}).
 */
public final class EncryptingDataConverter extends CodecDataConverter {
    private final PayloadKeys keys;

    public EncryptingDataConverter(DataConverter converter, PayloadKeys keys) {
        super(converter, List.of(new AesGcmPayloadCodec(keys)), true);
        this.keys = keys;
    }

    public PayloadKeys keys() {
        return keys;
    }
}
