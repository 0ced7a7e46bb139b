package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The real engine (unreachable = failure, never a skip), a labelled sandbox container with a mount, trees. */
final class BackupTestSupport {
    static final String SERVICE = "state";

    private BackupTestSupport() {
    }

    static DockerClient docker() {
        DockerClient docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable (" + e + "): the backup tests need a real engine and are never skipped");
        }
        SandboxImage.ensure(docker);
        return docker;
    }

    static String project() {
        return "romadr-bk-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Starts a compose-labelled busybox container of {@code project}/{@link #SERVICE} that sleeps, with
     * {@code source} mounted at {@code containerPath}: a host directory (bind mount) or a volume name.
     */
    static String startContainer(DockerClient docker, String project, String source, String containerPath) {
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-" + SERVICE + "-1")
                .withLabels(Map.of(
                        DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, SERVICE,
                        "io.romadr.sandbox", "true"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig()
                        .withBinds(new Bind(source, new Volume(containerPath)))
                        .withInit(true)
                        .withRestartPolicy(RestartPolicy.noRestart()))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    static void removeProject(DockerClient docker, String project) {
        for (var c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
    }

    static boolean running(DockerClient docker, String id) {
        return Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning());
    }

    /** Polls until the container runs, failing after the deadline. */
    static void awaitRunning(DockerClient docker, String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running(docker, id)) {
            if (System.nanoTime() > deadline) {
                fail("container " + id + " is not running after " + timeout);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** A file's content as the container sees it (docker cp of one file). */
    static String readInContainer(DockerClient docker, String id, String path) throws IOException {
        try (InputStream in = docker.copyArchiveFromContainerCmd(id, path).exec();
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            if (tar.getNextEntry() == null) {
                fail("docker cp of " + path + " returned no entry");
            }
            return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Generated state: nested directories, a symbolic link, an empty file, an executable (0755), an empty
     * directory, random binary content, and json/txt artifacts at the top and in out/.
     */
    static void generateState(Path root) throws IOException {
        Random random = new Random(42);
        Files.createDirectories(root.resolve("nested/deep"));
        Files.createDirectories(root.resolve("emptydir"));
        Files.createDirectories(root.resolve("out"));
        Files.writeString(root.resolve("a.txt"), "alpha\n".repeat(100));
        byte[] bin = new byte[300_000];
        random.nextBytes(bin);
        Files.write(root.resolve("nested/deep/b.bin"), bin);
        Files.writeString(root.resolve("nested/deep/c.json"), "{\"deep\":true}\n");
        Files.createFile(root.resolve("empty"));
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("nested/deep/b.bin"));
        Files.writeString(root.resolve("top.json"), "{\"top\":1}\n");
        Files.writeString(root.resolve("out/x.json"), "{\"x\":1}\n");
        Files.writeString(root.resolve("out/y.json"), "{\"y\":2}\n");
        Files.writeString(root.resolve("out/z.txt"), "zzz\n");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-x---"));
        // owners a service would have (the tests run as root, as the worker does on a Docker host)
        io.romadr.activities.archive.SafeExtractor.setOwner(root.resolve("out"), 1234, 2345);
        io.romadr.activities.archive.SafeExtractor.setOwner(root.resolve("out/x.json"), 1234, 2345);
        io.romadr.activities.archive.SafeExtractor.setOwner(root.resolve("nested/deep/b.bin"), 999, 999);
        io.romadr.activities.archive.SafeExtractor.setOwner(root.resolve("link"), 999, 998);
    }

    /** path -> "type mode size sha256 | link target", the root included as "." (its mode only). */
    static TreeMap<String, String> tree(Path root) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String mode = PosixFilePermissions.toString(a.permissions()) + " "
                        + Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
                        + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                String v;
                if (a.isSymbolicLink()) {
                    v = "link " + mode.substring(mode.indexOf(' ') + 1) + " -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    v = "dir " + mode;
                } else {
                    v = "file " + mode + " " + a.size() + " " + sha256(p);
                }
                m.put(p.equals(root) ? "." : root.relativize(p).toString(), v);
            }
        }
        return m;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = Sha256.newDigest();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
            return Sha256.hex(md);
        }
    }

    static String sha256(byte[] data) {
        return Sha256.hex(data);
    }

    /** Runs a command, returns its output; a non-zero exit or missing binary fails the test. */
    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + text);
        return text;
    }

    static Set<PosixFilePermission> perms(String rwx) {
        return PosixFilePermissions.fromString(rwx);
    }

    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
