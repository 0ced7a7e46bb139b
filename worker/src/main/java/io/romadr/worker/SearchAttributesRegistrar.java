package io.romadr.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.runtime.RomaSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure roma-dr's search attributes exist before the worker takes work: a workflow that upserts an unknown
 * attribute is stuck, so a worker that cannot have them refuses to start, saying how to create them.
 */
public final class SearchAttributesRegistrar {
    private static final Logger log = LoggerFactory.getLogger(SearchAttributesRegistrar.class);

    private SearchAttributesRegistrar() {
    }

    public static void ensure(WorkflowServiceStubs service, String namespace) {
        // the same channel and the same credentials (the API key header) as the workflow service's stubs
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder()
                        .setChannel(service.getRawChannel())
                        .setGrpcMetadataProviders(service.getOptions().getGrpcMetadataProviders())
                        .setHeaders(service.getOptions().getHeaders())
                        .validateAndBuildWithDefaults());
        Map<String, IndexedValueType> missing = new LinkedHashMap<>();
        for (SearchAttributeKey<?> key : RomaSearchAttributes.ALL) {
            missing.put(key.getName(), key.getValueType());
        }
        try {
            try {
                var existing = operator.blockingStub().listSearchAttributes(
                        ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build());
                missing.keySet().removeAll(existing.getCustomAttributesMap().keySet());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) { // the SDK's test server cannot list
                    throw e;
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace).putAllSearchAttributes(missing).build());
            log.info("registered search attributes {} in namespace {}", missing.keySet(), namespace);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return;
            }
            throw new IllegalStateException("search attributes " + missing.keySet() + " are not registered in "
                    + "namespace " + namespace + " and this worker may not register them (" + e.getStatus().getCode()
                    + "); create them once, e.g. " + commands(missing, namespace), e);
        } finally {
            operator.shutdown();
        }
    }

    private static String commands(Map<String, IndexedValueType> missing, String namespace) {
        return missing.entrySet().stream()
                .map(e -> "temporal operator search-attribute create --namespace " + namespace + " --name "
                        + e.getKey() + " --type "
                        + (e.getValue() == IndexedValueType.INDEXED_VALUE_TYPE_BOOL ? "Bool" : "Keyword"))
                .collect(Collectors.joining("; "));
    }
}
