package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupLagActivities;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.LagSummary;
import io.romadr.backup.LagSummaryRequest;
import io.romadr.backup.LogCutoff;
import io.romadr.backup.LogCutoffRequest;
import io.romadr.backup.LogShippingActivities;
import io.romadr.backup.PruneLogsRequest;
import io.romadr.backup.PrunedLogs;
import io.romadr.backup.ShipLogsRequest;
import io.romadr.backup.ShippedLogs;
import io.romadr.backup.RecordLagRequest;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.backup.GitMirrorRecordActivities;
import io.romadr.backup.LastGitMirrorRequest;
import io.romadr.backup.RecordGitMirrorRequest;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.MeasuredRpo;
import io.romadr.backup.BackupRef;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.ReplicaCopy;
import io.romadr.backup.ReplicateRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * {@link BackupActivities} on a Docker engine: the work is {@link BackupOperations}; this class adds heartbeats
 * (about every second, with the upload checkpoint or restore progress, which a retry reads back) and turns errors
 * into failures ({@link BackupFailures}): refusals (verification, not a mount, unknown file, not enough space) and
 * archives the file system cannot hold are non-retryable, I/O and engine errors retryable; messages are bounded.
 * {@code stores} opens the object store a request names (e.g. {@code ObjectStores::open}).
 */
public class DockerBackupActivities implements BackupActivities, GitMirrorRecordActivities, BackupLagActivities,
        LogShippingActivities {
    private static final String IO_ERROR = "BackupIOError";
    private final BackupOperations operations;
    private final BackupActivityCalls calls = new BackupActivityCalls(IO_ERROR);
    private final StoreGitMirrorRecords gitRecords;
    private final BackupReplicator replicator;
    private final StoreBackupLag lags;
    private final LogShipper logShipper;
    private final Function<BackupStore, ObjectStore> stores;
    private final Clock clock;

    public DockerBackupActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this(docker, stores, Clock.systemUTC());
    }

    /** {@code clock}: "now" of the measured lags (the open interval of a scheduled kind). */
    DockerBackupActivities(DockerClient docker, Function<BackupStore, ObjectStore> stores, Clock clock) {
        this.clock = clock;
        this.operations = new BackupOperations(docker, stores);
        this.gitRecords = new StoreGitMirrorRecords(stores);
        this.replicator = new BackupReplicator(stores);
        this.lags = new StoreBackupLag(stores);
        this.logShipper = new LogShipper(docker, stores);
        this.stores = stores;
    }

    @Override
    public LogCutoff lastLogCutoff(LogCutoffRequest request) {
        try (ObjectStore store = stores.apply(request.store())) {
            return new ShippedLogStore(store).lastCutoff(request.plan(), request.service());
        } catch (IOException | RuntimeException e) {
            throw failure("reading where the shipped logs of " + request.plan() + "/" + request.service() + " end", e);
        }
    }

    @Override
    public ShippedLogs shipLogs(ShipLogsRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = ctx.getInfo().getAttempt();
        return calls.ticking(ctx, null, () -> "shipping the logs of " + request.project() + "/" + request.service(),
                hb -> {
                    try {
                        return logShipper.ship(request, attempt, hb);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted", e);
                    }
                });
    }

    @Override
    public PrunedLogs pruneLogs(PruneLogsRequest request) {
        try (ObjectStore store = stores.apply(request.store())) {
            ShippedLogStore logs = new ShippedLogStore(store);
            int deleted = 0;
            for (String service : request.services()) {
                deleted += logs.prune(request.plan(), service, request.endedBefore());
            }
            return new PrunedLogs(deleted);
        } catch (IOException | RuntimeException e) {
            throw failure("deleting the shipped logs of " + request.plan() + " past retention", e);
        }
    }

    @Override
    public void recordGitMirror(RecordGitMirrorRequest request) {
        try {
            GitMirrorRecord previous = gitRecords.read(request.store(), request.record().plan());
            gitRecords.write(request.store(), request.record());
            lags.recordGitRun(request.store(), previous, request.record());
        } catch (IOException | RuntimeException e) {
            throw failure("recording the git mirror of " + request.record().plan(), e);
        }
    }

    @Override
    public GitMirrorRecord lastGitMirror(LastGitMirrorRequest request) {
        try {
            return gitRecords.read(request.store(), request.plan());
        } catch (IOException | RuntimeException e) {
            throw failure("reading the last git mirror of " + request.plan(), e);
        }
    }

    @Override
    public void recordLag(RecordLagRequest request) {
        try {
            lags.record(request.store(), request.plan(), request.kind(), request.samples());
        } catch (IOException | RuntimeException e) {
            throw failure("recording the measured " + request.kind() + " lag of " + request.plan(), e);
        }
    }

    @Override
    public LagSummary lagSummary(LagSummaryRequest request) {
        try {
            if (request.kind().equals("git")) {
                return lags.gitSummary(request);
            }
            return lags.summary(request, clock.millis(), committedTimes(request));
        } catch (IOException | RuntimeException e) {
            throw failure("reading the measured " + request.kind() + " lag of " + request.plan(), e);
        }
    }

    /** When the kind's backups were committed: its manifests, or the image mirror runs; none for other kinds. */
    private List<Long> committedTimes(LagSummaryRequest request) throws IOException {
        BackupKind stored = MeasuredRpo.storedKind(request.kind());
        if (stored != null) {
            return operations.list(new ListBackupsRequest(request.manifestsStore(), request.plan(), stored)).stream()
                    .map(BackupManifest::createdAt).toList();
        }
        if (request.kind().equals("images")) {
            return lags.read(request.store(), request.plan(), LagHistory.IMAGE_RUNS).samples().stream()
                    .map(LagSample::committedAt).toList();
        }
        return List.of();
    }

    @Override
    public BackupManifest snapshot(SnapshotRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        UploadCheckpoint resume = previous(ctx, UploadCheckpoint.class);
        return calls.ticking(ctx, resume,
                () -> "snapshot of " + request.project() + "/" + request.service() + ":" + request.path(),
                hb -> operations.snapshot(request, resume, hb));
    }

    @Override
    public List<BackupManifest> listBackups(ListBackupsRequest request) {
        try {
            return operations.list(request);
        } catch (IOException | RuntimeException e) {
            throw failure("listing " + request.kind().id() + " backups of " + request.plan(), e);
        }
    }

    @Override
    public VerifyResult verifyBackup(BackupRef ref) {
        return calls.ticking(Activity.getExecutionContext(), null, () -> "verifying " + ref.manifest().objectKey(),
                hb -> operations.verify(ref, hb));
    }

    @Override
    public RestoreResult restoreArchive(RestoreRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        BackupOperations.RestoreProgress previous = previous(ctx, BackupOperations.RestoreProgress.class);
        return calls.ticking(ctx, previous, () -> "restoring " + request.manifest().objectKey() + " into "
                + request.project() + "/" + request.service() + ":" + request.path(),
                hb -> operations.restore(request, previous, hb));
    }

    @Override
    public ReplicaCopy replicateBackup(ReplicateRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        UploadCheckpoint resume = previous(ctx, UploadCheckpoint.class);
        return calls.ticking(ctx, resume, () -> "replicating " + request.manifest().objectKey() + " to "
                + request.to().uri(), hb -> replicator.replicate(request, resume, hb));
    }

    @Override
    public void deleteBackup(BackupRef ref) {
        try {
            operations.delete(ref);
        } catch (IOException | RuntimeException e) {
            throw failure("deleting " + ref.manifest().objectKey(), e);
        }
    }

    /** The last heartbeat of an earlier attempt, or null (first attempt, or details this version cannot read). */
    private static <T> T previous(ActivityExecutionContext ctx, Class<T> type) {
        try {
            return ctx.getHeartbeatDetails(type).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RuntimeException failure(String what, Exception e) {
        return BackupFailures.failure(what, e, IO_ERROR);
    }
}
