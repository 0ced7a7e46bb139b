package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a child JVM with a small heap by {@link LargeSnapshotTest}: snapshots a container directory into a local
 * store and verifies it, outside Temporal, then prints {@code result ok=<bool> ...} and the heap's peak use.
 * Arguments: store directory, compose project, service, container path, object key.
 */
public final class SnapshotMain {
    private SnapshotMain() {
    }

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        BackupStore store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        DockerClient docker = DockerClients.fromEnvironment();
        BackupOperations ops = new BackupOperations(docker, s -> {
            try {
                return new LocalObjectStore(storeDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        AtomicLong beats = new AtomicLong();
        Heartbeat hb = details -> beats.incrementAndGet();
        long t0 = System.nanoTime();
        BackupManifest m = ops.snapshot(new SnapshotRequest(BackupKind.STATE, "large", store, args[1], args[2],
                args[3], List.of(), args[4], System.currentTimeMillis(), "large-main"), null, hb);
        long t1 = System.nanoTime();
        VerifyResult v = ops.verify(new BackupRef(store, m), hb);
        long t2 = System.nanoTime();
        // informational: G1 allocates the 1 MiB gzip blocks as humongous objects straight in the old generation
        long oldGenPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && (pool.getName().contains("Old")
                    || pool.getName().contains("Tenured"))) {
                oldGenPeak = Math.max(oldGenPeak, pool.getPeakUsage().getUsed());
            }
        }
        System.out.println("result ok=" + v.ok() + " problem=" + v.problem() + " sha256=" + m.sha256() + " size="
                + m.sizeBytes() + " content=" + m.contentBytes() + " entries=" + m.entries() + " verifiedEntries="
                + v.entries() + " snapshotMs=" + (t1 - t0) / 1_000_000 + " verifyMs=" + (t2 - t1) / 1_000_000
                + " beats=" + beats.get() + " oldGenPeakBytes=" + oldGenPeak + " maxHeapBytes="
                + Runtime.getRuntime().maxMemory());
        System.exit(v.ok() ? 0 : 2);
    }
}
