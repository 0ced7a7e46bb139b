package io.romadr.backup;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Lists a plan's backups from their manifests and, unless asked not to, re-reads every stored object to check its
 * SHA-256 (what {@code roma-dr backups list} shows). Reads only.
 */
@WorkflowInterface
public interface BackupCatalogWorkflow {
    String TYPE = "BackupCatalogWorkflow";

    @WorkflowMethod
    BackupCatalog list(CatalogRequest request);
}
