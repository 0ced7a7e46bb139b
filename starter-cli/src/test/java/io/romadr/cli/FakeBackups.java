package io.romadr.cli;

import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupLagActivities;
import io.romadr.backup.LagSummary;
import io.romadr.backup.LagSummaryRequest;
import io.romadr.backup.MeasuredRpo;
import io.romadr.backup.RecordLagRequest;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.ReplicaCopy;
import io.romadr.backup.ReplicateRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory backup activities for the CLI tests (the real ones run against Docker and object stores in the
 * activities and worker modules). A stored object whose key is in {@link #CORRUPT} fails verification. The measured
 * lag of a stored kind is the age of its newest backup (one open interval), of other kinds nothing.
 */
final class FakeBackups implements BackupActivities, BackupLagActivities {
    static final Map<String, BackupManifest> STORED = new ConcurrentHashMap<>();
    static final Set<String> CORRUPT = ConcurrentHashMap.newKeySet();

    @Override
    public BackupManifest snapshot(SnapshotRequest r) {
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, r.kind(), r.plan(), r.objectKey(),
                "5e".repeat(32), 2048, 3, 8192, r.service() + ":" + r.path(), r.createdAt(), r.workflowId(),
                List.of(), List.of(), List.of());
        STORED.put(r.objectKey(), m);
        return m;
    }

    @Override
    public List<BackupManifest> listBackups(ListBackupsRequest r) {
        List<BackupManifest> found = new ArrayList<>(STORED.values().stream()
                .filter(m -> m.plan().equals(r.plan()) && m.kind() == r.kind()).toList());
        found.sort(Comparator.comparingLong(BackupManifest::createdAt));
        return found;
    }

    @Override
    public void recordLag(RecordLagRequest request) {
        throw new UnsupportedOperationException("the CLI tests record no lag");
    }

    @Override
    public LagSummary lagSummary(LagSummaryRequest r) {
        BackupKind kind = MeasuredRpo.storedKind(r.kind());
        List<BackupManifest> stored = kind == null
                ? List.of()
                : listBackups(new ListBackupsRequest(r.manifestsStore(), r.plan(), kind));
        if (stored.isEmpty()) {
            return LagSummary.none(r.plan(), r.kind(), LagSummary.INTERVAL, r.since());
        }
        long open = System.currentTimeMillis() - stored.get(stored.size() - 1).createdAt();
        return new LagSummary(r.plan(), r.kind(), LagSummary.INTERVAL, r.since(), 1, open, open, open, open,
                System.currentTimeMillis());
    }

    @Override
    public VerifyResult verifyBackup(BackupRef ref) {
        BackupManifest m = ref.manifest();
        if (CORRUPT.contains(m.objectKey())) {
            return new VerifyResult(m.objectKey(), false, "sha256 mismatch: manifest 5e5e5e5e5e5e..., stored "
                    + "000000000000...", "00".repeat(32), m.sizeBytes(), 0);
        }
        return new VerifyResult(m.objectKey(), true, "", m.sha256(), m.sizeBytes(), m.entries());
    }

    @Override
    public RestoreResult restoreArchive(RestoreRequest r) {
        return new RestoreResult(r.manifest().objectKey(), "/var/lib/docker/volumes/x/_data", 3, 8192, r.only(),
                "restored 3 entries into /var/lib/docker/volumes/x/_data");
    }

    @Override
    public ReplicaCopy replicateBackup(ReplicateRequest request) {
        return new ReplicaCopy(request.manifest().objectKey(), true, request.manifest().sha256(),
                request.manifest().sizeBytes());
    }

    @Override
    public void deleteBackup(BackupRef ref) {
        STORED.remove(ref.manifest().objectKey());
    }
}
