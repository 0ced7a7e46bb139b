package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The seed's weekly backup verification, for the kinds in the object store: for each, freshness of the newest
 * backup against the plan's max age, integrity of the newest backup (SHA-256 and size re-computed from the stored
 * bytes, every tar entry checked, per-file digests of artifacts), and for secrets a decrypt round trip with the
 * worker's key (nothing written). Start from the Web UI with {@code {"plan":"roma"}}; it completes with a report
 * even when rows are not OK (the report is the result; {@code roma-dr backups verify} exits 1 then).
 */
@WorkflowInterface
public interface BackupVerificationWorkflow {
    String TYPE = "BackupVerificationWorkflow";

    @WorkflowMethod
    VerificationReport verify(VerificationRequest request);

    @QueryMethod
    VerificationReport progress();
}
