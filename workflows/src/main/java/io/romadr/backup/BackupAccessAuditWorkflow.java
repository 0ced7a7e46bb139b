package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The seed's quarterly "audit access to backups": who can read and delete each backup store of the plan (main,
 * secrets, replica) and which Vault policies reach the backed-up paths. Start from the Web UI with
 * {@code {"plan":"roma"}}; a finding above INFO fails the run with the report in its details ({@code roma-dr backups
 * audit} exits 1 then) and is sent where the weekly verification's are.
 */
@WorkflowInterface
public interface BackupAccessAuditWorkflow {
    String TYPE = "BackupAccessAuditWorkflow";

    @WorkflowMethod
    AccessAuditReport audit(AuditRequest request);

    @QueryMethod
    AccessAuditReport progress();
}
