package io.romadr.temporal;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.PayloadConverter;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Wraps each of the SDK's payload converters: a workflow input (one of {@link RomaWorkflows#INPUTS}) is read
 * strictly by {@link WorkflowInputs} whatever the payload's encoding says; everything else (activity arguments,
 * results, reports) is converted as the SDK does, leniently, so a newer worker's report still reads in an older CLI.
 */
public final class InputPayloadConverter implements PayloadConverter {
    private static final Set<Class<?>> INPUTS = WorkflowInputs.types();
    private static final String JSON = "json/plain";
    private static final String NULL = "binary/null";

    private final PayloadConverter delegate;

    InputPayloadConverter(PayloadConverter delegate) {
        this.delegate = delegate;
    }

    /** The data converter of every roma-dr client and worker: the SDK's, with inputs read strictly. */
    public static DataConverter dataConverter() {
        return DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(
                Arrays.stream(DefaultDataConverter.STANDARD_PAYLOAD_CONVERTERS).map(InputPayloadConverter::new)
                        .toArray(PayloadConverter[]::new));
    }

    @Override
    public String getEncodingType() {
        return delegate.getEncodingType();
    }

    @Override
    public Optional<Payload> toData(Object value) {
        return delegate.toData(value);
    }

    @Override
    public <T> T fromData(Payload content, Class<T> valueClass, Type valueType) {
        if (!INPUTS.contains(valueClass)) {
            return delegate.fromData(content, valueClass, valueType);
        }
        return switch (getEncodingType()) {
            case JSON -> WorkflowInputs.read(content.getData().toByteArray(), valueClass);
            case NULL -> null;
            default -> throw WorkflowInputs.invalid(valueClass, "a payload with encoding \"" + getEncodingType()
                    + "\" instead of \"" + JSON + "\"");
        };
    }
}
