package io.romadr.temporal;

import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.BackupAccessAuditWorkflow;
import io.romadr.backup.BackupEventsWorkflow;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.backup.ImageMirrorWorkflow;
import io.romadr.backup.LogShippingWorkflow;
import io.romadr.backup.RetentionWorkflow;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.SecretsWatchWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Task queue names. Production runs one queue per region ({@link #forRegion}), so the worker that recovers a region
 * lives outside it (docs/regions.md). Backups run on a queue of their own next to it ({@link #backups}), polled by
 * a second worker with its own slots, so a burst of scheduled backups never delays a recovery.
 */
public final class TaskQueues {
    public static final String DEFAULT = "roma-dr";
    /** A region name as cloud providers spell them, e.g. {@code us-west-2}. */
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    /**
     * The workflows that go to the backups queue: the scheduled and on-demand backups, mirrors, retention and the
     * weekly verification. Restores and the catalog stay on the recovery queue: a recovery waits on them.
     */
    static final Set<String> BACKUP_WORKFLOWS = Set.of(
            StateSnapshotWorkflow.TYPE,
            ArtifactBackupWorkflow.TYPE,
            SecretsBackupWorkflow.TYPE,
            GitMirrorWorkflow.TYPE,
            ImageMirrorWorkflow.TYPE,
            RetentionWorkflow.TYPE,
            BackupVerificationWorkflow.TYPE,
            BackupAccessAuditWorkflow.TYPE,
            BackupEventsWorkflow.TYPE,
            SecretsWatchWorkflow.TYPE,
            LogShippingWorkflow.TYPE);

    private TaskQueues() {
    }

    /** The backups queue next to {@code queue}: {@code <queue>-backups}. */
    public static String backups(String queue) {
        return queue + "-backups";
    }

    /** The queue a workflow of {@code workflowType} is started on when the workers poll {@code queue}. */
    public static String forWorkflow(String queue, String workflowType) {
        return BACKUP_WORKFLOWS.contains(workflowType) ? backups(queue) : queue;
    }

    /** The queue of the workers in {@code region}: {@code roma-dr-<region>}. */
    public static String forRegion(String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region \"" + region + "\" is not a region name such as us-west-2 "
                    + "(lower-case letters, digits and dashes)");
        }
        return DEFAULT + "-" + region;
    }

    /**
     * {@link #forRegion} when {@code region} is set, else {@code taskQueue} (or {@link #DEFAULT} when blank). A
     * region and a task queue of another name are a mistake: the worker would not serve the queue its region's
     * recoveries are started on.
     */
    public static String of(String taskQueue, String region) {
        if (region != null && !region.isBlank()) {
            String queue = forRegion(region.trim());
            if (taskQueue != null && !taskQueue.isBlank() && !taskQueue.trim().equals(DEFAULT)
                    && !taskQueue.trim().equals(queue)) {
                throw new IllegalArgumentException("task queue \"" + taskQueue.trim() + "\" and region \""
                        + region.trim() + "\" disagree: a worker of region " + region.trim() + " polls " + queue
                        + "; set one of them");
            }
            return queue;
        }
        return taskQueue == null || taskQueue.isBlank() ? DEFAULT : taskQueue.trim();
    }
}
