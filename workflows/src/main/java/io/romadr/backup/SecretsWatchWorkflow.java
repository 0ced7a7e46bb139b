package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Secrets exported on every update: polls the metadata of the plan's secrets (Vault KV v2 {@code current_version},
 * Secrets Manager AWSCURRENT version id; never a value) every {@code backup.schedule.secretsPoll} for about an hour,
 * and when a version differs from what the newest export holds, runs {@link SecretsBackupWorkflow} as a child at
 * once (one full export of the plan's secrets: a restore reads one whole file), then records each changed secret's
 * lag (changed in the source to export committed) with {@link BackupLagActivities}. Then it ends; its Temporal
 * Schedule ({@code roma-dr schedules apply}, hourly, overlap buffer-one) starts the next one, so there is no gap and
 * never two at once. Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface SecretsWatchWorkflow {
    String TYPE = "SecretsWatchWorkflow";

    @WorkflowMethod
    SecretsWatchReport watch(BackupRequest request);

    @QueryMethod
    SecretsWatchReport progress();

    /** The workflow id a schedule gives it (the server appends the scheduled time). */
    static String workflowIdPrefix(String plan) {
        return "secrets-watch-" + plan;
    }
}
