package io.romadr.activities.backup;

import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectCopy;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.ReplicaCopy;
import io.romadr.backup.ReplicateRequest;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Copies a stored backup to the plan's replica store (another region): the object exactly as stored (a secrets
 * export stays encrypted: nothing here can decrypt it), then its manifest, last, so the replica holds a backup
 * exactly when it holds its manifest, as the primary does. Idempotent: an object the replica already holds with the
 * manifest's SHA-256 is not copied again, and an equal manifest is not written again.
 */
final class BackupReplicator {
    private final Function<BackupStore, ObjectStore> stores;

    BackupReplicator(Function<BackupStore, ObjectStore> stores) {
        this.stores = stores;
    }

    /**
     * {@code resume} is the upload checkpoint an earlier attempt heartbeated (null on the first); {@code hb} gets every
     * new checkpoint, and the bytes read while the replica's existing copy is digested.
     */
    ReplicaCopy replicate(ReplicateRequest req, UploadCheckpoint resume, Heartbeat hb) throws IOException {
        BackupManifest m = req.manifest();
        String key = m.objectKey();
        try (ObjectStore from = stores.apply(req.from()); ObjectStore to = stores.apply(req.to())) {
            AtomicReference<UploadCheckpoint> latest = new AtomicReference<>(resume);
            hb.beat(resume);
            Optional<String> there = to.stat(key).filter(info -> info.size() == m.sizeBytes()).isPresent()
                    ? ObjectCopy.digest(to, key, read -> hb.beat(latest.get()))
                    : Optional.empty();
            boolean copied = there.filter(m.sha256()::equalsIgnoreCase).isEmpty();
            if (copied) {
                try {
                    ObjectCopy.copy(from, to, key, m.sha256(), resume, cp -> {
                        latest.set(cp);
                        hb.beat(cp);
                    }, read -> hb.beat(latest.get()));
                } catch (ObjectCopy.DigestMismatchException e) {
                    throw new BackupRefusedException("PrimaryDoesNotMatchManifest", e.getMessage());
                }
            }
            byte[] manifest = from.read(m.manifestKey());
            if (!to.stat(m.manifestKey()).isPresent() || !Arrays.equals(to.read(m.manifestKey()), manifest)) {
                to.put(m.manifestKey(), manifest); // last: the replica holds the backup from here on
            }
            return new ReplicaCopy(key, copied, m.sha256(), m.sizeBytes());
        }
    }
}
