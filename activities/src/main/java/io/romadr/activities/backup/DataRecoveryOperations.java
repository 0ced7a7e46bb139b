package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.FileDigest;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.ArtifactCheck.InvalidArtifact;
import io.romadr.scenario.datacorruption.ProducerRequest;
import io.romadr.scenario.datacorruption.QuarantineRequest;
import io.romadr.scenario.datacorruption.QuarantineResult;
import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;
import io.romadr.scenario.datacorruption.ValidateBackupRequest;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.servicefailure.ActionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Scenario 2 logic behind {@link DockerDataRecoveryActivities}, usable without Temporal: progress goes to a
 * {@link Heartbeat}. Validation only reads; quarantine only adds objects; stop/start check the state first.
 */
final class DataRecoveryOperations {
    private final DockerClient docker;
    private final Function<BackupStore, ObjectStore> stores;
    private final Path plansDir;
    private final BackupOperations backups;
    private final ComposeContainerFinder containers;
    private final EngineArchive.Source archives;
    private final SnapshotArchiver archiver;
    private final SafeExtractor extractor = new SafeExtractor();

    DataRecoveryOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores, Path plansDir) {
        this.docker = docker;
        this.stores = stores;
        this.plansDir = plansDir;
        this.backups = new BackupOperations(docker, stores);
        this.containers = new ComposeContainerFinder(docker);
        this.archives = EngineArchive.fromEnvironment(docker);
        this.archiver = new SnapshotArchiver();
    }

    // ---- validate --------------------------------------------------------------------------------------------------

    ArtifactCheck validateArtifacts(ValidateArtifactsRequest req, Heartbeat hb) throws IOException {
        ArtifactValidator validator = ArtifactValidator.forSchema(schemaPath(req.schema()));
        String path = BackupOperations.containerPath(req.path());
        String containerId = container(req.project(), req.service());
        List<InvalidArtifact> invalid = new ArrayList<>();
        int total;
        try (InputStream tar = openArchive(containerId, path, req.project(), req.service())) {
            total = ContainerArtifacts.read(tar, ContainerArtifacts.matchers(req.include()), (rel, content) -> {
                validator.check(content).ifPresent(p -> invalid.add(new InvalidArtifact(rel, p)));
                hb.beat("validated " + rel);
            });
        }
        return new ArtifactCheck(total, invalid);
    }

    /**
     * Streams the stored object once: every file matching the include globs is checked while the whole object's
     * SHA-256 is computed. A digest other than the manifest's (or an unreadable object) is one invalid entry
     * {@code "(archive)"}: nothing inside can be trusted, and the workflow then looks for another backup.
     */
    ArtifactCheck validateBackup(ValidateBackupRequest req, Heartbeat hb) throws IOException {
        ArtifactValidator validator = ArtifactValidator.forSchema(schemaPath(req.schema()));
        BackupManifest m = req.manifest();
        if (!BackupOperations.isArchive(m.kind())) {
            throw new BackupRefusedException("UnsupportedKind", "validateBackup reads tar.gz backups (artifacts), not "
                    + m.kind().id() + " backup " + m.objectKey());
        }
        List<PathMatcher> include = ContainerArtifacts.matchers(req.include());
        int listed = (int) m.files().stream().filter(f -> ContainerArtifacts.matches(include, f.path())).count();
        try (ObjectStore store = stores.apply(req.store())) {
            if (store.stat(m.objectKey()).isEmpty()) {
                return archiveProblem(listed, "missing object " + m.objectKey() + " in " + store.location());
            }
            MessageDigest sha = Sha256.newDigest();
            List<InvalidArtifact> invalid = new ArrayList<>();
            int[] total = {0};
            String unreadable = null;
            try (InputStream raw = store.open(m.objectKey())) {
                DigestInputStream in = new DigestInputStream(raw, sha);
                try {
                    extractor.scan(in, (rel, entry, content) -> {
                        if (!ContainerArtifacts.matches(include, rel)) {
                            return;
                        }
                        total[0]++;
                        validator.check(content).ifPresent(p -> invalid.add(new InvalidArtifact(rel, p)));
                        hb.beat("validated " + m.objectKey() + ": " + rel);
                    });
                } catch (UnsafeArchiveException e) {
                    unreadable = e.getMessage();
                } catch (IOException e) {
                    unreadable = "unreadable archive: " + e.getMessage();
                }
                in.transferTo(OutputStream.nullOutputStream()); // the rest, for the digest
            }
            String actual = Sha256.hex(sha);
            if (!actual.equalsIgnoreCase(m.sha256())) {
                return archiveProblem(listed, "sha256 mismatch: manifest " + Sha256.abbrev(m.sha256()) + ", stored "
                        + Sha256.abbrev(actual) + " (" + m.objectKey() + " in " + store.location() + ")");
            }
            if (unreadable != null) {
                return archiveProblem(listed, unreadable);
            }
            return new ArtifactCheck(total[0], invalid);
        }
    }

    private static ArtifactCheck archiveProblem(int total, String problem) {
        return new ArtifactCheck(total, List.of(new InvalidArtifact("(archive)", problem)));
    }

    /** The schema file: relative to the plans directory, or absolute. */
    private Path schemaPath(String schema) {
        return schemaPath(plansDir, schema);
    }

    static Path schemaPath(Path plansDir, String schema) {
        if (schema == null || schema.isBlank()) {
            return null;
        }
        Path p = Path.of(schema);
        return p.isAbsolute() ? p : plansDir.resolve(p).normalize();
    }

    // ---- quarantine ------------------------------------------------------------------------------------------------

    /**
     * Stores the files as a tar.gz written exactly as an artifacts snapshot is, with a {@link BackupManifest} (kind
     * artifacts, {@code source} ending in "(quarantine)") beside it; the manifest goes last, so an existing manifest
     * means an earlier attempt finished and its result is returned unchanged.
     */
    QuarantineResult quarantine(QuarantineRequest req, String workflowId, Heartbeat hb) throws IOException {
        String path = BackupOperations.containerPath(req.path());
        try (ObjectStore store = stores.apply(req.store())) {
            String manifestKey = BackupKeys.manifestKey(req.objectKey());
            if (store.stat(manifestKey).isPresent()) {
                return result(BackupJson.read(store.read(manifestKey))); // done by an earlier attempt
            }
            List<String> globs = req.files().isEmpty()
                    ? req.include()
                    : req.files().stream().map(DataRecoveryOperations::literalGlob).toList();
            if (globs.isEmpty()) {
                globs = List.of("**");
            }
            String containerId = container(req.project(), req.service());
            SnapshotArchiver.Result written;
            try (InputStream tar = openArchive(containerId, path, req.project(), req.service());
                    ObjectUpload upload = store.startUpload(req.objectKey(), null, cp -> hb.beat(req.objectKey()))) {
                written = archiver.write(tar, globs, upload, n -> hb.beat(req.objectKey()));
                ObjectInfo info = upload.commit();
                if (info.size() != written.sizeBytes()) {
                    throw new IOException("store " + store.location() + " holds " + info.size() + " bytes at "
                            + req.objectKey() + ", " + written.sizeBytes() + " were written");
                }
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupKind.ARTIFACTS, req.plan(),
                    req.objectKey(), written.sha256(), written.sizeBytes(), written.entries(), written.contentBytes(),
                    req.project() + "/" + req.service() + ":" + path + " (quarantine)", System.currentTimeMillis(),
                    workflowId, written.files(), List.of(), List.of());
            store.put(manifestKey, BackupJson.write(manifest)); // last: the quarantine is complete from here on
            return result(manifest);
        }
    }

    private static QuarantineResult result(BackupManifest m) {
        return new QuarantineResult(m.objectKey(), m.files().stream().map(FileDigest::path).toList(), m.sha256(),
                m.sizeBytes());
    }

    /** A glob matching exactly this relative name (file names may hold glob characters). */
    static String literalGlob(String name) {
        return name.replaceAll("([*?\\[\\]{}\\\\])", "\\\\$1");
    }

    // ---- producer --------------------------------------------------------------------------------------------------

    ActionResult stopProducer(ProducerRequest req, int attempt) {
        int timeout = (int) Math.max(0, Math.min(Integer.MAX_VALUE,
                req.stopTimeout() == null ? BackupOperations.STOP_TIMEOUT_SECONDS : req.stopTimeout().toSeconds()));
        List<String> changed = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (Container c : containers.current(req.project(), req.service())) {
            Optional<InspectContainerResponse> i = inspect(c.getId());
            if (i.isEmpty() || !Boolean.TRUE.equals(i.get().getState().getRunning())) {
                i.ifPresent(x -> already.add(name(x)));
                continue;
            }
            try {
                docker.stopContainerCmd(c.getId()).withTimeout(timeout).exec();
                changed.add(name(i.get()));
            } catch (NotModifiedException | NotFoundException e) {
                already.add(name(i.get())); // stopped or removed meanwhile
            }
        }
        return action(req, "stopped", changed, already, attempt);
    }

    ActionResult startProducer(ProducerRequest req, int attempt) {
        List<String> changed = new ArrayList<>();
        List<String> already = new ArrayList<>();
        for (Container c : containers.current(req.project(), req.service())) {
            Optional<InspectContainerResponse> i = inspect(c.getId());
            if (i.isEmpty()) {
                continue;
            }
            if (Boolean.TRUE.equals(i.get().getState().getRunning())) {
                already.add(name(i.get()));
                continue;
            }
            try {
                docker.startContainerCmd(c.getId()).exec();
                changed.add(name(i.get()));
            } catch (NotModifiedException e) {
                already.add(name(i.get()));
            }
        }
        return action(req, "started", changed, already, attempt);
    }

    private static ActionResult action(ProducerRequest req, String verb, List<String> changed, List<String> already,
            int attempt) {
        String who = req.project() + "/" + req.service();
        if (changed.isEmpty() && already.isEmpty()) {
            return new ActionResult(false, "no container for compose service " + who, attempt);
        }
        StringBuilder detail = new StringBuilder();
        if (!changed.isEmpty()) {
            detail.append(verb).append(" ").append(String.join(", ", changed));
        }
        if (!already.isEmpty()) {
            detail.append(detail.length() == 0 ? "" : "; ").append("already ").append(verb).append(": ")
                    .append(String.join(", ", already));
        }
        return new ActionResult(!changed.isEmpty(), detail.toString(), attempt);
    }

    // ---- engine ----------------------------------------------------------------------------------------------------

    /** The service's running container, else a stopped one (artifacts are readable while the producer is stopped). */
    private String container(String project, String service) {
        List<Container> found = containers.current(project, service);
        return found.stream().filter(c -> "running".equals(c.getState())).findFirst()
                .or(() -> found.stream().findFirst())
                .map(Container::getId)
                .orElseThrow(() -> new IllegalStateException("no container for compose service " + project + "/"
                        + service));
    }

    private InputStream openArchive(String containerId, String path, String project, String service)
            throws IOException {
        try {
            return archives.open(containerId, path);
        } catch (NotFoundException e) {
            throw new BackupRefusedException("PathNotFound", "no " + path + " in the container of " + project + "/"
                    + service + ": " + e.getMessage());
        }
    }

    private Optional<InspectContainerResponse> inspect(String id) {
        try {
            return Optional.of(docker.inspectContainerCmd(id).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private static String name(InspectContainerResponse i) {
        String n = i.getName();
        return n != null && n.startsWith("/") ? n.substring(1) : n;
    }
}
