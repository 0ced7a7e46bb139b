package io.romadr.temporal;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.context.SerializationContext;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.Set;

/**
 * The data converter of every roma-dr client and worker: the SDK's, except that a workflow input (one of
 * {@link RomaWorkflows#INPUTS}) is read strictly by {@link WorkflowInputs}, whatever encoding the payload claims.
 * Everything else (activity arguments, results, reports) is converted as the SDK does, leniently, so a newer
 * worker's report still reads in an older CLI.
 */
public final class InputDataConverter implements DataConverter {
    private static final Set<Class<?>> INPUTS = WorkflowInputs.types();
    private static final String JSON = "json/plain";
    private static final String NULL = "binary/null";

    private final DataConverter delegate;

    private InputDataConverter(DataConverter delegate) {
        this.delegate = delegate;
    }

    public static DataConverter create() {
        return new InputDataConverter(DefaultDataConverter.newDefaultInstance());
    }

    @Override
    public <T> Optional<Payload> toPayload(T value) {
        return delegate.toPayload(value);
    }

    @Override
    public Optional<Payloads> toPayloads(Object... values) {
        return delegate.toPayloads(values);
    }

    @Override
    public <T> T fromPayload(Payload payload, Class<T> valueClass, Type valueType) {
        if (!INPUTS.contains(valueClass)) {
            return delegate.fromPayload(payload, valueClass, valueType);
        }
        ByteString encoding = payload.getMetadataMap().get("encoding");
        String name = encoding == null ? "" : encoding.toStringUtf8();
        return switch (name) {
            case JSON -> WorkflowInputs.read(payload.getData().toByteArray(), valueClass);
            case NULL -> null;
            case "" -> throw WorkflowInputs.invalid(valueClass, "a payload without an encoding");
            default -> throw WorkflowInputs.invalid(valueClass, "a payload with encoding \"" + name
                    + "\" instead of \"" + JSON + "\"");
        };
    }

    @Override
    public <T> T fromPayloads(int index, Optional<Payloads> content, Class<T> valueClass, Type valueType) {
        if (!INPUTS.contains(valueClass)) {
            return delegate.fromPayloads(index, content, valueClass, valueType);
        }
        if (content.isEmpty() || index >= content.get().getPayloadsCount()) {
            return null;
        }
        return fromPayload(content.get().getPayloads(index), valueClass, valueType);
    }

    @Override
    public Object[] fromPayloads(Optional<Payloads> content, Class<?>[] parameterTypes,
            Type[] genericParameterTypes) {
        int given = content.map(Payloads::getPayloadsCount).orElse(0);
        if (parameterTypes.length == 1 && INPUTS.contains(parameterTypes[0]) && given > 1) {
            // The workflow would silently see only the first.
            throw WorkflowInputs.invalid(parameterTypes[0], given + " inputs instead of one JSON object");
        }
        Object[] values = new Object[parameterTypes.length];
        for (int i = 0; i < parameterTypes.length; i++) {
            values[i] = fromPayloads(i, content, parameterTypes[i], genericParameterTypes[i]);
        }
        return values;
    }

    @Override
    public RuntimeException failureToException(Failure failure) {
        return delegate.failureToException(failure);
    }

    @Override
    public Failure exceptionToFailure(Throwable throwable) {
        return delegate.exceptionToFailure(throwable);
    }

    @Override
    public DataConverter withContext(SerializationContext context) {
        return new InputDataConverter(delegate.withContext(context));
    }
}
