package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.plan.ArtifactBackupSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A plan's artifacts in their container, file by file, for code outside the backups (the drills): read the way a
 * snapshot and Scenario 2's validation read them (the engine's archive of the path, the include globs, the schema
 * validator), and replaced the way Scenario 2's restore writes them (renamed over in the host directory of the
 * path's mount). Refusals (no such path, a schema that cannot be read, not a mount) are
 * {@link BackupRefusedException}s; I/O errors are retryable.
 */
public final class ArtifactFiles {
    /**
     * One artifact.
     *
     * @param path    relative to the artifacts' path
     * @param sha256  hex digest of its content
     * @param size    bytes
     * @param problem why it is not a valid artifact (JSON, the plan's schema), or empty when it is valid
     */
    public record Artifact(String path, String sha256, long size, String problem) {
        public boolean valid() {
            return problem.isEmpty();
        }
    }

    private final DockerClient docker;
    private final ComposeContainerFinder containers;
    private final EngineArchive.Source archives;
    private final Path plansDir;

    /** @param plansDir where a plan's relative schema path points (as for Scenario 2's validation) */
    public ArtifactFiles(DockerClient docker, Path plansDir) {
        this.docker = docker;
        this.containers = new ComposeContainerFinder(docker);
        this.archives = EngineArchive.fromEnvironment(docker);
        this.plansDir = plansDir;
    }

    /** Every artifact of {@code spec} in {@code project}, sorted by path, with its digest and validity. */
    public List<Artifact> read(String project, ArtifactBackupSpec spec, Heartbeat hb) throws IOException {
        ArtifactValidator validator = ArtifactValidator.forSchema(DataRecoveryOperations.schemaPath(plansDir,
                spec.recovery().schema()));
        String path = BackupOperations.containerPath(spec.path());
        List<Artifact> out = new ArrayList<>();
        try (InputStream tar = open(container(project, spec.service()), path, project, spec.service())) {
            ContainerArtifacts.read(tar, ContainerArtifacts.matchers(spec.include()), (rel, content) -> {
                MessageDigest sha = Sha256.newDigest();
                CountingDigestStream in = new CountingDigestStream(content, sha);
                String problem = validator.check(in).orElse("");
                in.transferTo(OutputStream.nullOutputStream()); // the rest, for the digest and the size
                out.add(new Artifact(rel, Sha256.hex(sha), in.count, problem));
                hb.beat("read " + rel);
            });
        }
        out.sort(Comparator.comparing(Artifact::path));
        return out;
    }

    /**
     * Replaces the named artifacts (relative path to new content): each written beside its target and renamed over
     * it in the host directory behind the mount at the artifacts' path (the worker runs on the Docker host).
     */
    public void replace(String project, ArtifactBackupSpec spec, Map<String, byte[]> files) throws IOException {
        String path = BackupOperations.containerPath(spec.path());
        Path root = BackupContainers.hostDirectory(docker.inspectContainerCmd(container(project, spec.service()))
                .exec(), path).toRealPath();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path target = root.resolve(f.getKey()).normalize();
            if (!target.startsWith(root) || target.equals(root) || !Files.isRegularFile(target,
                    LinkOption.NOFOLLOW_LINKS)) {
                throw new BackupRefusedException("InvalidPath", "artifact " + f.getKey() + " is not a regular file"
                        + " in " + root);
            }
            // not named after the artifact, so a temporary file left by a crash never matches the include globs
            Path tmp = target.resolveSibling(".roma-replace-" + UUID.randomUUID());
            try {
                Files.write(tmp, f.getValue(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The service's running container, else a stopped one (as Scenario 2 reads them). */
    private String container(String project, String service) {
        List<Container> found = containers.current(project, service);
        return found.stream().filter(c -> "running".equals(c.getState())).findFirst()
                .or(() -> found.stream().findFirst())
                .map(Container::getId)
                .orElseThrow(() -> new BackupRefusedException("NoContainer", "no container for compose service "
                        + project + "/" + service));
    }

    private InputStream open(String containerId, String path, String project, String service) throws IOException {
        try {
            return archives.open(containerId, path);
        } catch (NotFoundException e) {
            throw new BackupRefusedException("PathNotFound", "no " + path + " in the container of " + project + "/"
                    + service + ": " + e.getMessage());
        }
    }

    /** Digests and counts what passes through (the validator reads the start, the rest is drained). */
    private static final class CountingDigestStream extends DigestInputStream {
        long count;

        CountingDigestStream(InputStream in, MessageDigest digest) {
            super(in, digest);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the entry belongs to the tar stream
        }
    }
}
