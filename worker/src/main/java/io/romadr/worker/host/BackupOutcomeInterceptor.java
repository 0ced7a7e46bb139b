package io.romadr.worker.host;

import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.backup.ImageMirrorWorkflow;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.runtime.PlanInput;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Backup runs and verifications as they finish on this worker (replay-safe, see {@link FinishedRuns}), into the
 * host's registry ({@link RomaMetrics}):
 * <ul>
 *   <li>every backup workflow ({@code state}, {@code artifacts}, {@code secrets}, {@code git}, {@code images}):
 *       {@code romadr_backup_runs_total{plan,kind,outcome}}, {@code romadr_backup_failures_total{plan,kind}} and
 *       {@code romadr_backup_last_duration_seconds{plan,kind}} (workflow time from the run's start to its end);</li>
 *   <li>the weekly verification: {@code romadr_verification_rows{plan,kind,status}} (every status of every kind the
 *       report has rows for, 0 when none), {@code romadr_verification_ok{plan}} and
 *       {@code romadr_verification_last_run_timestamp_seconds{plan}}.</li>
 * </ul>
 * When the last backup succeeded, and how big it is, is read from the stores ({@link BackupStatusCollector}): it
 * survives restarts and covers backups other workers made.
 */
public final class BackupOutcomeInterceptor extends WorkerInterceptorBase {
    /** Backup workflow type to the kind its metrics are labelled with. */
    static final Map<String, String> KINDS = Map.of(StateSnapshotWorkflow.TYPE, "state",
            ArtifactBackupWorkflow.TYPE, "artifacts", SecretsBackupWorkflow.TYPE, "secrets",
            GitMirrorWorkflow.TYPE, "git", ImageMirrorWorkflow.TYPE, "images");

    private final RomaMetrics metrics;

    public BackupOutcomeInterceptor(RomaMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return FinishedRuns.intercept(next, (input, result, failed) -> {
            String type = Workflow.getInfo().getWorkflowType();
            String plan = input.getArguments().length > 0 && input.getArguments()[0] instanceof PlanInput in
                    && in.plan() != null ? in.plan() : "";
            String kind = KINDS.get(type);
            if (kind != null) {
                long ran = Workflow.currentTimeMillis() - Workflow.getInfo().getRunStartedTimestampMillis();
                metrics.backupFinished(plan, kind, !failed, Duration.ofMillis(Math.max(0, ran)));
            } else if (BackupVerificationWorkflow.TYPE.equals(type) && result instanceof VerificationReport report) {
                metrics.verificationFinished(report.plan() == null ? plan : report.plan(), rows(report),
                        report.allOk(), report.finishedAt());
            }
        });
    }

    /** Rows per kind and status; every status of a kind is present (0 when none), so a fixed row reads 0. */
    static Map<String, Map<String, Long>> rows(VerificationReport report) {
        Map<String, Map<String, Long>> byKind = new TreeMap<>();
        for (VerificationRow row : report.rows()) {
            byKind.computeIfAbsent(row.kind(), k -> Arrays.stream(VerificationStatus.values())
                    .collect(Collectors.toMap(Enum::name, s -> 0L, (a, b) -> a, TreeMap::new)))
                    .merge(row.status().name(), 1L, Long::sum);
        }
        return byKind;
    }
}
