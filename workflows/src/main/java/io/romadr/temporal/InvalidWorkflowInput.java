package io.romadr.temporal;

import io.temporal.common.converter.DataConverterException;

/**
 * A workflow input that cannot be used. The worker fails the workflow execution with it at once (it is one of the
 * worker's fail-workflow exception types) instead of failing the workflow task again and again.
 */
public final class InvalidWorkflowInput extends DataConverterException {
    public InvalidWorkflowInput(String message) {
        super(message);
    }
}
