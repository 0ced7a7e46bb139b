package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed backup kind 3: the plan's secrets from Vault and/or AWS Secrets Manager, encrypted with OpenPGP to the plan's
 * recipients and stored as {@code secrets/<plan>/<timestamp>.pgp}. Only object keys and secret names enter the
 * history. Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface SecretsBackupWorkflow {
    String TYPE = "SecretsBackupWorkflow";

    @WorkflowMethod
    BackupReport backup(BackupRequest request);

    @QueryMethod
    BackupReport progress();
}
