package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup logic behind {@link DockerBackupActivities}, usable without Temporal: progress goes to a
 * {@link Heartbeat}, a resumed upload's checkpoint and a restore's earlier progress come in as arguments.
 * Checking a stored backup is {@link BackupVerifier}'s, writing it back {@link ArchiveRestorer}'s, the engine side
 * {@link BackupContainers}'; this class orders the steps.
 * Every call opens its store through the factory and closes it afterwards.
 */
public final class BackupOperations {
    private static final Logger log = LoggerFactory.getLogger(BackupOperations.class);
    static final int STOP_TIMEOUT_SECONDS = 30;
    /** Only root can give restored files their owners back (a database volume must stay owned by its uid). */
    static final boolean RUN_AS_ROOT = "root".equals(System.getProperty("user.name"));

    /** Heartbeat details of a restore: the container and whether it ran before the restore stopped it. */
    public record RestoreProgress(String containerId, boolean wasRunning, String phase) {
    }

    /** Heartbeat details while an object is read back. */
    public record ReadProgress(String objectKey, long bytes) {
    }

    private final BackupContainers containers;
    private final Function<BackupStore, ObjectStore> stores;
    private final EngineArchive.Source archives;
    private final SnapshotArchiver archiver;
    private final BackupVerifier verifier;
    private final ArchiveRestorer restorer;

    /** {@code docker} must be the engine of {@code DOCKER_HOST} (archives are read from there directly). */
    public BackupOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this(docker, stores, EngineArchive.fromEnvironment(docker), new SnapshotArchiver(),
                new SafeExtractor(SafeExtractor.DEFAULT_MAX_ENTRIES, SafeExtractor.DEFAULT_MAX_TOTAL_BYTES,
                        RUN_AS_ROOT));
    }

    BackupOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores, EngineArchive.Source archives,
            SnapshotArchiver archiver, SafeExtractor extractor) {
        this.containers = new BackupContainers(docker);
        this.stores = stores;
        this.archives = archives;
        this.archiver = archiver;
        this.verifier = new BackupVerifier(extractor);
        this.restorer = new ArchiveRestorer(extractor);
    }

    // ---- snapshot --------------------------------------------------------------------------------------------------

    /**
     * Streams {@code path} of the service's running container into the store and writes the manifest; returns the
     * stored manifest when it exists already. {@code resume} (may be null) is the last checkpoint an earlier attempt
     * heartbeated; the heartbeat receives every new {@link UploadCheckpoint}.
     */
    public BackupManifest snapshot(SnapshotRequest req, UploadCheckpoint resume, Heartbeat hb) throws IOException {
        if (req.kind() != BackupKind.STATE && req.kind() != BackupKind.ARTIFACTS) {
            throw new BackupRefusedException("UnsupportedKind", "snapshot makes state and artifacts backups, not "
                    + req.kind().id());
        }
        String path = containerPath(req.path());
        try (ObjectStore store = stores.apply(req.store())) {
            String manifestKey = BackupKeys.manifestKey(req.objectKey());
            if (store.stat(manifestKey).isPresent()) {
                return BackupJson.read(store.read(manifestKey)); // done by an earlier attempt
            }
            String containerId = containers.runningContainer(req.project(), req.service());
            List<String> include = req.kind() == BackupKind.ARTIFACTS
                    ? (req.include() == null || req.include().isEmpty() ? List.of("**") : req.include())
                    : null;
            AtomicReference<UploadCheckpoint> latest = new AtomicReference<>(resume);
            hb.beat(resume);
            SnapshotArchiver.Result result;
            InputStream tar;
            try {
                tar = archives.open(containerId, path);
            } catch (NotFoundException e) {
                throw new BackupRefusedException("PathNotFound", "no " + path + " in the container of "
                        + req.project() + "/" + req.service() + ": " + e.getMessage());
            }
            try (tar; ObjectUpload upload = store.startUpload(req.objectKey(), resume, cp -> {
                latest.set(cp);
                hb.beat(cp);
            })) {
                try {
                    result = archiver.write(tar, include, upload, written -> hb.beat(latest.get()));
                } catch (IOException | RuntimeException e) {
                    upload.abandon(); // keeps uploaded parts (S3) for the retry's resume
                    throw e;
                }
                ObjectInfo info = upload.commit();
                if (info.size() != result.sizeBytes()) {
                    throw new IOException("store " + store.location() + " holds " + info.size() + " bytes at "
                            + req.objectKey() + ", " + result.sizeBytes() + " were written");
                }
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, req.kind(), req.plan(),
                    req.objectKey(), result.sha256(), result.sizeBytes(), result.entries(), result.contentBytes(),
                    req.project() + "/" + req.service() + ":" + path, req.createdAt(), req.workflowId(),
                    result.files(), List.of(), List.of());
            store.put(manifestKey, BackupJson.write(manifest)); // last: the backup exists from here on
            return manifest;
        }
    }

    // ---- list / delete ---------------------------------------------------------------------------------------------

    /** Every readable manifest under the kind's and plan's prefix, oldest first; unreadable ones are logged. */
    public List<BackupManifest> list(ListBackupsRequest req) throws IOException {
        List<BackupManifest> found = new ArrayList<>();
        try (ObjectStore store = stores.apply(req.store())) {
            for (ObjectInfo info : store.list(BackupKeys.prefix(req.kind(), req.plan()))) {
                if (!BackupKeys.isManifest(info.key())) {
                    continue;
                }
                try {
                    found.add(BackupJson.read(store.read(info.key())));
                } catch (IOException | RuntimeException e) {
                    log.warn("skipping unreadable manifest {} in {}: {}", info.key(), store.location(), e.toString());
                }
            }
        }
        found.sort(Comparator.comparingLong(BackupManifest::createdAt).thenComparing(BackupManifest::objectKey));
        return found;
    }

    /**
     * Manifest first, so the backup disappears at once; then the object. Absent keys are fine. A key under the
     * evidence prefix is refused: a security incident's evidence outlives every retention rule.
     */
    public void delete(BackupRef ref) throws IOException {
        if (BackupKeys.isEvidence(ref.manifest().manifestKey()) || BackupKeys.isEvidence(ref.manifest().objectKey())) {
            throw new BackupRefusedException("EvidenceKept", "refusing to delete " + ref.manifest().objectKey()
                    + ": evidence of a security incident is never deleted by roma-dr");
        }
        try (ObjectStore store = stores.apply(ref.store())) {
            store.delete(ref.manifest().manifestKey());
            store.delete(ref.manifest().objectKey());
        }
    }

    // ---- verify ----------------------------------------------------------------------------------------------------

    public VerifyResult verify(BackupRef ref, Heartbeat hb) throws IOException {
        try (ObjectStore store = stores.apply(ref.store())) {
            return verify(store, ref.manifest(), hb);
        }
    }

    VerifyResult verify(ObjectStore store, BackupManifest m, Heartbeat hb) throws IOException {
        return verify(store, m, hb, SafeExtractor.DEFAULT_PREFIX_BYTES).result();
    }

    BackupVerifier.Verified verify(ObjectStore store, BackupManifest m, Heartbeat hb, long prefixBytes)
            throws IOException {
        return verifier.verify(store, m, hb, prefixBytes);
    }

    static boolean isArchive(BackupKind kind) {
        return BackupVerifier.isArchive(kind);
    }

    // ---- restore ---------------------------------------------------------------------------------------------------

    /**
     * Verifies, stops the container, restores into the host directory of the mount at {@code path}, and starts the
     * container again if it ran. Everything that can refuse the backup comes before the stop: the scan (every entry
     * checked as extraction will check it, names against the file system below the real staging directory, content
     * bytes against the manifest) and the free space of the directory's file system. {@code previous} is an earlier attempt's progress (null on the first): it tells
     * whether the container ran before that attempt stopped it.
     */
    public RestoreResult restore(RestoreRequest req, RestoreProgress previous, Heartbeat hb) throws IOException {
        BackupManifest m = req.manifest();
        if (!isArchive(m.kind())) {
            throw new BackupRefusedException("UnsupportedKind", "restoreArchive restores tar.gz backups, not "
                    + m.kind().id());
        }
        String path = containerPath(req.path());
        Set<String> only = new LinkedHashSet<>();
        for (String name : req.only()) {
            only.add(relative(name));
        }
        if (!only.isEmpty()) {
            Set<String> known = new HashSet<>();
            m.files().forEach(f -> known.add(f.path()));
            List<String> unknown = only.stream().filter(n -> !known.contains(n)).toList();
            if (!unknown.isEmpty()) {
                throw new BackupRefusedException("NotInBackup", "not in backup " + m.objectKey() + ": "
                        + String.join(", ", unknown) + " (nothing restored)");
            }
        }
        try (ObjectStore store = stores.apply(req.store())) {
            InspectContainerResponse container = containers.container(req.project(), req.service());
            Path hostDir = BackupContainers.hostDirectory(container, path);
            // Everything that can refuse the backup happens here, before the container is stopped: the scan checks
            // every name against the file system below the real staging path, then the space it needs is compared
            // with what the volume has. While verifying, keep heartbeating the earlier attempt's progress: it must
            // survive a crash here.
            boolean wasRunning = previous != null && container.getId().equals(previous.containerId())
                    ? previous.wasRunning()
                    : Boolean.TRUE.equals(container.getState().getRunning());
            try {
                BackupVerifier.Verified verified = verify(store, m, details -> hb.beat(previous),
                        SafeExtractor.stagingPrefixBytes(SafeExtractor.stagingParentFor(hostDir)));
                VerifyResult v = verified.result();
                if (!v.ok()) {
                    throw new BackupRefusedException("BackupVerificationFailed", "backup " + m.objectKey()
                            + " failed verification, nothing restored, refused before the service was stopped: "
                            + v.problem());
                }
                ArchiveRestorer.requireSpace(hostDir, only.isEmpty()
                        ? verified.contentBytes()
                        : ArchiveRestorer.onlyBytes(m, only),
                        only.isEmpty() ? v.entries() : only.size(), m);
            } catch (BackupRefusedException refused) {
                if (wasRunning && !Boolean.TRUE.equals(container.getState().getRunning())) {
                    containers.start(container.getId()); // an earlier attempt stopped it, then died
                }
                throw refused;
            }
            hb.beat(new RestoreProgress(container.getId(), wasRunning, "stopping"));
            containers.stop(container.getId());
            hb.beat(new RestoreProgress(container.getId(), wasRunning, "restoring"));
            RestoreResult result;
            try {
                result = only.isEmpty()
                        ? restorer.restoreAll(store, m, hostDir)
                        : restorer.restoreFiles(store, m, hostDir, only);
            } finally {
                if (wasRunning) {
                    containers.start(container.getId()); // also after a failure: the old data is still in place
                }
            }
            return new RestoreResult(result.objectKey(), result.target(), result.entries(), result.bytes(),
                    result.files(), result.detail() + (wasRunning ? "; container started again" : ""));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** An absolute container path without trailing slashes; never "/". */
    static String containerPath(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new BackupRefusedException("InvalidPath", "container path must be absolute: " + path);
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || p.contains("/../") || p.endsWith("/..")) {
            throw new BackupRefusedException("InvalidPath", "container path must be a directory below /: " + path);
        }
        return p;
    }

    private static String relative(String name) {
        String n = name == null ? "" : name.strip();
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.isEmpty() || n.startsWith("/") || n.endsWith("/") || List.of(n.split("/")).contains("..")) {
            throw new BackupRefusedException("InvalidPath", "restore names files relative to the path, got \""
                    + name + "\"");
        }
        return n;
    }
}
