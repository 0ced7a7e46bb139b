package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.FileDigest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup logic behind {@link DockerBackupActivities}, usable without Temporal: progress goes to a
 * {@link Heartbeat}, a resumed upload's checkpoint and a restore's earlier progress come in as arguments.
 * Every call opens its store through the factory and closes it afterwards.
 */
public final class BackupOperations {
    private static final Logger log = LoggerFactory.getLogger(BackupOperations.class);
    static final int STOP_TIMEOUT_SECONDS = 30;
    /** Temporary files of a file restore: not named after the file, so a 255-byte name still fits beside it. */
    private static final String RESTORE_TMP = ".roma-restore-";
    /** Only root can give restored files their owners back (a database volume must stay owned by its uid). */
    static final boolean RUN_AS_ROOT = "root".equals(System.getProperty("user.name"));

    /** Heartbeat details of a restore: the container and whether it ran before the restore stopped it. */
    public record RestoreProgress(String containerId, boolean wasRunning, String phase) {
    }

    /** Heartbeat details while an object is read back. */
    public record ReadProgress(String objectKey, long bytes) {
    }

    private final DockerClient docker;
    private final ComposeContainerFinder finder;
    private final Function<BackupStore, ObjectStore> stores;
    private final EngineArchive.Source archives;
    private final SnapshotArchiver archiver;
    private final SafeExtractor extractor;

    /** {@code docker} must be the engine of {@code DOCKER_HOST} (archives are read from there directly). */
    public BackupOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores) {
        this(docker, stores, EngineArchive.fromEnvironment(docker), new SnapshotArchiver(),
                new SafeExtractor(SafeExtractor.DEFAULT_MAX_ENTRIES, SafeExtractor.DEFAULT_MAX_TOTAL_BYTES, RUN_AS_ROOT));
    }

    BackupOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores, EngineArchive.Source archives,
            SnapshotArchiver archiver, SafeExtractor extractor) {
        this.docker = docker;
        this.finder = new ComposeContainerFinder(docker);
        this.stores = stores;
        this.archives = archives;
        this.archiver = archiver;
        this.extractor = extractor;
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
            String containerId = runningContainer(req.project(), req.service());
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

    /** Manifest first, so the backup disappears at once; then the object. Absent keys are fine. */
    public void delete(BackupRef ref) throws IOException {
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

    /** A verification and the content bytes its scan counted (what extracting the archive writes). */
    record Verified(VerifyResult result, long contentBytes) {
    }

    /**
     * Streams the object once: size and SHA-256 against the manifest; for tar.gz kinds every entry is checked as a
     * restore would check it (nothing is written) and counted; for artifacts every file's size and SHA-256.
     */
    Verified verify(ObjectStore store, BackupManifest m, Heartbeat hb, long prefixBytes) throws IOException {
        String key = m.objectKey();
        if (store.stat(key).isEmpty()) {
            return new Verified(new VerifyResult(key, false, "missing object " + key + " in " + store.location(),
                    null, 0, 0), 0);
        }
        MessageDigest sha = Sha256.newDigest();
        long[] size = {0};
        List<String> fileProblems = new ArrayList<>();
        String archiveProblem = null;
        long entries = 0;
        long contentBytes = 0;
        try (InputStream raw = store.open(key)) {
            DigestInputStream in = new DigestInputStream(counting(raw, size, key, hb), sha);
            if (isArchive(m.kind())) {
                Map<String, FileDigest> expected = new LinkedHashMap<>();
                m.files().forEach(f -> expected.put(f.path(), f));
                Set<String> seen = new HashSet<>();
                boolean checkFiles = m.kind() == BackupKind.ARTIFACTS;
                try {
                    SafeExtractor.ScanResult scanned = extractor.scan(in, (path, entry, content) -> {
                        if (checkFiles) {
                            checkFile(path, content, expected.get(path), fileProblems);
                            seen.add(path);
                        }
                    }, prefixBytes);
                    entries = scanned.entries();
                    contentBytes = scanned.bytes();
                    if (checkFiles) {
                        for (String missing : expected.keySet()) {
                            if (!seen.contains(missing)) {
                                fileProblems.add("file " + missing + " is in the manifest but not in the archive");
                            }
                        }
                    }
                } catch (UnsafeArchiveException e) {
                    archiveProblem = e.getMessage();
                } catch (IOException e) {
                    archiveProblem = "unreadable archive: " + e.getMessage();
                }
            }
            in.transferTo(OutputStream.nullOutputStream()); // whatever the archive reader left, for the digest
        }
        String actual = Sha256.hex(sha);
        String problem = null;
        if (!actual.equalsIgnoreCase(m.sha256())) {
            problem = "sha256 mismatch: manifest " + Sha256.abbrev(m.sha256()) + ", stored " + Sha256.abbrev(actual);
        } else if (size[0] != m.sizeBytes()) {
            problem = "size mismatch: manifest " + m.sizeBytes() + " bytes, stored " + size[0];
        } else if (archiveProblem != null) {
            problem = archiveProblem;
        } else if (isArchive(m.kind()) && entries != m.entries()) {
            problem = "entry count mismatch: manifest " + m.entries() + ", archive " + entries;
        } else if (isArchive(m.kind()) && contentBytes != m.contentBytes()) {
            problem = "content size mismatch: manifest " + m.contentBytes() + " bytes, archive " + contentBytes;
        } else if (!fileProblems.isEmpty()) {
            problem = String.join("; ", fileProblems);
        }
        if (size[0] != m.sizeBytes() && problem != null && problem.startsWith("sha256")) {
            problem += " (size: manifest " + m.sizeBytes() + ", stored " + size[0] + ")";
        }
        return new Verified(new VerifyResult(key, problem == null, problem == null ? null
                : FailureMessages.bounded(problem), actual, size[0], entries), contentBytes);
    }

    private static void checkFile(String path, InputStream content, FileDigest expected, List<String> problems)
            throws IOException {
        if (expected == null) {
            problems.add("file " + path + " is in the archive but not in the manifest");
            return;
        }
        MessageDigest sha = Sha256.newDigest();
        long n = new DigestInputStream(content, sha).transferTo(OutputStream.nullOutputStream());
        String actual = Sha256.hex(sha);
        if (n != expected.size() || !actual.equalsIgnoreCase(expected.sha256())) {
            problems.add("file " + path + " differs: manifest " + expected.size() + " bytes " + Sha256.abbrev(
                    expected.sha256()) + ", archive " + n + " bytes " + Sha256.abbrev(actual));
        }
    }

    static boolean isArchive(BackupKind kind) {
        return kind.extension().equals("tar.gz");
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
            InspectContainerResponse container = container(req.project(), req.service());
            Path hostDir = hostDirectory(container, path);
            // Everything that can refuse the backup happens here, before the container is stopped: the scan checks
            // every name against the file system below the real staging path, then the space it needs is compared
            // with what the volume has. While verifying, keep heartbeating the earlier attempt's progress: it must
            // survive a crash here.
            boolean wasRunning = previous != null && container.getId().equals(previous.containerId())
                    ? previous.wasRunning()
                    : Boolean.TRUE.equals(container.getState().getRunning());
            try {
                Verified verified = verify(store, m, details -> hb.beat(previous),
                        SafeExtractor.stagingPrefixBytes(SafeExtractor.stagingParentFor(hostDir)));
                VerifyResult v = verified.result();
                if (!v.ok()) {
                    throw new BackupRefusedException("BackupVerificationFailed", "backup " + m.objectKey()
                            + " failed verification, nothing restored, refused before the service was stopped: "
                            + v.problem());
                }
                requireSpace(hostDir, only.isEmpty() ? verified.contentBytes() : onlyBytes(m, only),
                        only.isEmpty() ? v.entries() : only.size(), m);
            } catch (BackupRefusedException refused) {
                if (wasRunning && !Boolean.TRUE.equals(container.getState().getRunning())) {
                    start(container.getId()); // an earlier attempt stopped it, then died
                }
                throw refused;
            }
            hb.beat(new RestoreProgress(container.getId(), wasRunning, "stopping"));
            stop(container.getId());
            hb.beat(new RestoreProgress(container.getId(), wasRunning, "restoring"));
            RestoreResult result;
            try {
                result = only.isEmpty()
                        ? restoreAll(store, m, hostDir)
                        : restoreFiles(store, m, hostDir, only);
            } finally {
                if (wasRunning) {
                    start(container.getId()); // also after a failure: the old data is still in place
                }
            }
            return new RestoreResult(result.objectKey(), result.target(), result.entries(), result.bytes(),
                    result.files(), result.detail() + (wasRunning ? "; container started again" : ""));
        }
    }

    /** Rough block overhead per entry: a small file or a directory takes a whole block. */
    static final long BLOCK_BYTES = 4096;

    /**
     * Refuses (before the container is stopped) when the file system of {@code hostDir} has less usable space than
     * the restore writes: the extracted tree is staged beside the old one, which stays until the swap.
     */
    private static void requireSpace(Path hostDir, long contentBytes, long entries, BackupManifest m)
            throws IOException {
        Path parent = SafeExtractor.stagingParentFor(hostDir);
        long needed = contentBytes + entries * BLOCK_BYTES;
        long usable = Files.getFileStore(parent).getUsableSpace();
        if (needed > usable) {
            throw new BackupRefusedException("InsufficientSpace", "backup " + m.objectKey() + " needs about "
                    + needed + " bytes (" + contentBytes + " of content in " + entries + " entries) beside " + hostDir
                    + ", its file system has " + usable + " usable; nothing restored, refused before the service"
                    + " was stopped");
        }
    }

    private static long onlyBytes(BackupManifest m, Set<String> only) {
        return m.files().stream().filter(f -> only.contains(f.path())).mapToLong(FileDigest::size).sum();
    }

    /** Whole directory: extract beside it, check the bytes were the verified ones, swap with renames. */
    private RestoreResult restoreAll(ObjectStore store, BackupManifest m, Path hostDir) throws IOException {
        AtomicSwap.recover(hostDir); // a swap an earlier attempt left half-done
        Path parent = SafeExtractor.stagingParentFor(hostDir);
        deleteStaleStaging(parent);
        MessageDigest sha = Sha256.newDigest();
        SafeExtractor.ExtractResult staged;
        try (InputStream raw = store.open(m.objectKey())) {
            DigestInputStream in = new DigestInputStream(raw, sha);
            staged = extractor.extract(in, parent);
            try {
                in.transferTo(OutputStream.nullOutputStream());
                requireSameSha(m, sha);
                AtomicSwap.swap(staged.directory(), hostDir);
            } catch (IOException | RuntimeException e) {
                AtomicSwap.deleteTree(staged.directory());
                throw e;
            }
        }
        return new RestoreResult(m.objectKey(), hostDir.toString(), staged.entries(), staged.bytes(), List.of(),
                "restored the whole directory (" + staged.entries() + " entries, " + staged.bytes() + " bytes)");
    }

    /**
     * Just the named files: each is written to a temporary file beside its target while the whole archive is checked,
     * then renamed over the target; other files are not touched.
     */
    private RestoreResult restoreFiles(ObjectStore store, BackupManifest m, Path hostDir, Set<String> only)
            throws IOException {
        Path root = hostDir.toRealPath();
        for (String name : only) {
            deleteStaleTemps(root, name);
        }
        Map<String, Path> staged = new HashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        MessageDigest sha = Sha256.newDigest();
        try (InputStream raw = store.open(m.objectKey())) {
            DigestInputStream in = new DigestInputStream(raw, sha);
            extractor.scan(in, (path, entry, content) -> {
                if (!only.contains(path)) {
                    return;
                }
                Path target = safeTarget(root, path);
                Path tmp = target.resolveSibling(RESTORE_TMP + UUID.randomUUID());
                long n;
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    n = content.transferTo(out);
                }
                if (RUN_AS_ROOT) {
                    SafeExtractor.setOwner(tmp, entry.getLongUserId(), entry.getLongGroupId());
                }
                Files.setPosixFilePermissions(tmp, SafeExtractor.permissions(entry.getMode()));
                Files.setLastModifiedTime(tmp, entry.getLastModifiedTime());
                Path earlier = staged.put(path, tmp);
                if (earlier != null) {
                    Files.deleteIfExists(earlier); // a later entry of the same name wins, as in tar
                }
                sizes.put(path, n);
            });
            in.transferTo(OutputStream.nullOutputStream());
            requireSameSha(m, sha);
            for (String name : only) {
                if (!staged.containsKey(name)) {
                    throw new BackupRefusedException("NotInBackup", "file " + name + " is listed in the manifest of "
                            + m.objectKey() + " but not in its archive (nothing restored)");
                }
                Path target = root.resolve(name);
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new BackupRefusedException("TargetIsDirectory", "cannot restore file " + name
                            + ": a directory is in its place in " + root);
                }
            }
            for (String name : only) {
                // rename(2) replaces the target (even a symbolic link) without following it
                Files.move(staged.remove(name), root.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            for (Path left : staged.values()) {
                Files.deleteIfExists(left);
            }
        }
        long bytes = sizes.values().stream().mapToLong(Long::longValue).sum();
        return new RestoreResult(m.objectKey(), root.toString(), only.size(), bytes, List.copyOf(only),
                "restored " + only.size() + " file(s), " + bytes + " bytes; other files untouched");
    }

    private static void requireSameSha(BackupManifest m, MessageDigest sha) {
        String actual = Sha256.hex(sha);
        if (!actual.equalsIgnoreCase(m.sha256())) {
            throw new BackupRefusedException("BackupVerificationFailed", "object " + m.objectKey()
                    + " changed after verification (sha256 manifest " + Sha256.abbrev(m.sha256()) + ", read "
                    + Sha256.abbrev(actual) + "); nothing restored");
        }
    }

    /**
     * The host path of file {@code rel} under {@code root}: every existing directory on the way must be a real
     * directory (the container may have planted a symbolic link to redirect the write); missing ones are created.
     */
    private static Path safeTarget(Path root, String rel) throws IOException {
        Path target = root.resolve(rel).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new UnsafeArchiveException(rel, "resolves outside " + root);
        }
        Path cur = root;
        for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
            if (part.toString().isEmpty()) {
                continue;
            }
            cur = cur.resolve(part);
            if (Files.isSymbolicLink(cur)) {
                throw new UnsafeArchiveException(rel, "'" + root.relativize(cur) + "' is a symbolic link in " + root);
            }
            if (!Files.exists(cur, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(cur);
            } else if (!Files.isDirectory(cur, LinkOption.NOFOLLOW_LINKS)) {
                throw new UnsafeArchiveException(rel, "'" + root.relativize(cur) + "' is not a directory in " + root);
            }
        }
        return target;
    }

    private static void deleteStaleTemps(Path root, String rel) throws IOException {
        Path target = root.resolve(rel).normalize();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, RESTORE_TMP + "*")) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Staging directories an interrupted restore left beside the target (ours by name). */
    private static void deleteStaleStaging(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, ".roma-staging-*")) {
            for (Path p : ds) {
                AtomicSwap.deleteTree(p);
            }
        }
    }


    // ---- engine ----------------------------------------------------------------------------------------------------

    /** The running container; none running is retryable (the service may be restarting). */
    private String runningContainer(String project, String service) {
        return finder.current(project, service).stream()
                .filter(c -> "running".equals(c.getState()))
                .map(Container::getId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running container for compose service "
                        + project + "/" + service));
    }

    private InspectContainerResponse container(String project, String service) {
        List<Container> found = finder.current(project, service);
        if (found.isEmpty()) {
            throw new IllegalStateException("no container for compose service " + project + "/" + service);
        }
        return docker.inspectContainerCmd(found.get(0).getId()).exec();
    }

    /** The host directory behind the volume or bind mount at {@code path}. */
    private static Path hostDirectory(InspectContainerResponse c, String path) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (InspectContainerResponse.Mount mount : c.getMounts() == null
                ? List.<InspectContainerResponse.Mount>of() : c.getMounts()) {
            String dest = mount.getDestination() == null ? null : mount.getDestination().getPath();
            mounts.add(String.valueOf(dest));
            if (dest != null && containerPath(dest).equals(path) && mount.getSource() != null
                    && !mount.getSource().isBlank()) {
                Path host = Path.of(mount.getSource()).toAbsolutePath().normalize();
                AtomicSwap.recover(host); // an interrupted swap may have left it renamed aside
                if (!Files.isDirectory(host)) {
                    throw new IOException("host directory " + host + " of mount " + path + " is not a directory on"
                            + " this host (the worker must run on the Docker host)");
                }
                return host;
            }
        }
        throw new BackupRefusedException("NotAMount", "state path must be a volume or bind mount: " + path
                + " is not a mount of container " + c.getName() + " (mounts: " + mounts + ")");
    }

    private void stop(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    private void start(String id) {
        try {
            docker.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // already running
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

    private static InputStream counting(InputStream in, long[] count, String key, Heartbeat hb) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count[0] += n;
                    hb.beat(new ReadProgress(key, count[0]));
                }
                return n;
            }
        };
    }
}
