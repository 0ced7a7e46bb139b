package io.romadr.activities.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.SandboxImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DockerHostCompute on the real engine, with the imported busybox sandbox image (nothing is pulled). */
@org.junit.jupiter.api.Tag("integration")
class DockerHostComputeTest {
    private static final String RUN_LABEL = "roma-dr.test-run";
    private static final String RUN = "dhc-" + UUID.randomUUID().toString().substring(0, 8);

    static DockerClient docker;
    static DockerHostCompute compute;
    static Path sitesRoot;
    static String image;
    static Server shared;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable (" + e + "); start it (nohup dockerd >/tmp/dockerd.log 2>&1 &): these"
                    + " tests need a real engine and are never skipped.");
        }
        image = SandboxImage.ensure(docker);
        sitesRoot = Files.createTempDirectory("roma-dr-sites");
        compute = new DockerHostCompute(docker, sitesRoot);
        shared = compute.provision(spec(), freshKey());
        compute.awaitReady(shared.id(), Duration.ofSeconds(30), null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(RUN_LABEL, RUN)).exec()) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
            }
            docker.close();
        }
        if (sitesRoot != null && Files.exists(sitesRoot)) {
            try (Stream<Path> walk = Files.walk(sitesRoot)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static ServerSpec spec() {
        return new ServerSpec(image, null, null, null, null, null, Map.of(RUN_LABEL, RUN, "role", "replacement"));
    }

    private static LaunchKey freshKey() {
        return new LaunchKey("plan-d", RUN + "-" + UUID.randomUUID(), "provision-server");
    }

    private static List<Container> containersFor(LaunchKey key) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.SITE_KEY_LABEL, key.value())).exec();
    }

    private static CommandResult run(List<String> argv, String workdir, Map<String, String> env, Duration timeout)
            throws IOException {
        return compute.run(shared.id(), new ServerCommand(argv, workdir, env, timeout, null), null);
    }

    @Test
    void provisioningThreeTimesWithOneKeyMakesOneContainerAndAnotherKeyASecond() throws Exception {
        LaunchKey key = freshKey();
        Server first = compute.provision(spec(), key);
        Server second = compute.provision(spec(), key);
        Server third = compute.provision(spec(), key);
        assertEquals(first.id(), second.id());
        assertEquals(first.id(), third.id());
        assertEquals(List.of(first.id()), containersFor(key).stream().map(Container::getId).toList());
        assertEquals(first.id(), compute.findByKey(key).id());

        Server described = compute.describe(first.id());
        assertEquals("docker", described.provider());
        assertEquals("running", described.state());
        assertEquals(key.value(), described.tags().get(DockerHostCompute.SITE_KEY_LABEL));
        assertEquals("plan-d", described.tags().get("roma-dr.plan"));
        assertEquals(key.workflowId(), described.tags().get("roma-dr.workflow"));
        assertEquals("replacement", described.tags().get("role"));
        var inspected = docker.inspectContainerCmd(first.id()).exec();
        assertEquals("/" + DockerHostCompute.containerName(key), inspected.getName());
        assertTrue(Boolean.TRUE.equals(inspected.getHostConfig().getInit()), "init is off");
        assertTrue(Files.isDirectory(sitesRoot.resolve(DockerHostCompute.containerName(key))));

        LaunchKey other = new LaunchKey(key.plan(), key.workflowId(), "provision-second-server");
        Server otherServer = compute.provision(spec(), other);
        assertNotEquals(first.id(), otherServer.id());
        assertEquals(1, containersFor(other).size());
        assertEquals(1, containersFor(key).size());

        // A stopped server is started again rather than replaced.
        docker.stopContainerCmd(first.id()).withTimeout(5).exec();
        assertEquals("exited", compute.describe(first.id()).state());
        Server restarted = compute.provision(spec(), key);
        assertEquals(first.id(), restarted.id());
        assertEquals("running", restarted.state());

        assertTrue(compute.terminate(first.id()));
        assertTrue(compute.terminate(otherServer.id()));
        assertNull(compute.findByKey(key));
    }

    @Test
    void concurrentProvisionsWithOneKeyShareOneContainer() throws Exception {
        LaunchKey key = freshKey();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Server>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> compute.provision(spec(), key)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var call : calls) {
                ids.add(call.get(60, java.util.concurrent.TimeUnit.SECONDS).id());
            }
            assertEquals(1, ids.size(), ids.toString());
            assertEquals(1, containersFor(key).size());
            assertTrue(compute.terminate(ids.iterator().next()));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingWorkingDirectoryIsAFailedResult() throws Exception {
        CommandResult r = run(List.of("sh", "-c", "echo never"), "/no/such/dir", Map.of(), Duration.ofSeconds(30));
        assertNotEquals(0, r.exitCode());
        assertFalse(r.stdoutTail().contains("never"), r.stdoutTail());
    }

    @Test
    void aMissingImageIsAClearErrorAndNothingIsPulled() {
        String missing = "roma-dr/no-such-image:" + RUN;
        var e = assertThrows(IOException.class, () -> compute.provision(
                new ServerSpec(missing, null, null, null, null, null, Map.of(RUN_LABEL, RUN)), freshKey()));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("never pulled"), e.getMessage());
    }

    @Test
    void awaitReadyReturnsTheRunningServerWithAnAddressAndHeartbeats() throws Exception {
        LaunchKey key = freshKey();
        Server s = compute.provision(spec(), key);
        AtomicInteger beats = new AtomicInteger();
        Server ready = compute.awaitReady(s.id(), Duration.ofSeconds(30), beats::incrementAndGet);
        assertEquals(s.id(), ready.id());
        assertTrue(ready.isRunning());
        assertNotNull(ready.address(), "no container IP");
        assertTrue(ready.address().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), ready.address());
        assertTrue(beats.get() >= 1);
        assertTrue(compute.terminate(s.id()));

        var e = assertThrows(IOException.class, () -> compute.awaitReady(s.id(), Duration.ofSeconds(5), null));
        assertTrue(e.getMessage().contains(s.id()), e.getMessage());
    }

    @Test
    void runReturnsOutputAndExitCodes() throws Exception {
        CommandResult ok = run(List.of("sh", "-c", "echo hello; echo warn >&2"), null, Map.of(),
                Duration.ofSeconds(30));
        assertEquals(0, ok.exitCode());
        assertTrue(ok.ok());
        assertEquals("hello\n", ok.stdoutTail());
        assertEquals("warn\n", ok.stderrTail());
        assertNotNull(ok.commandId());

        CommandResult failed = run(List.of("sh", "-c", "echo bad >&2; exit 3"), null, Map.of(), Duration.ofSeconds(30));
        assertEquals(3, failed.exitCode());
        assertFalse(failed.ok());
        assertEquals("bad\n", failed.stderrTail());
    }

    @Test
    void runPassesEnvironmentAndWorkingDirectory() throws Exception {
        CommandResult env = run(List.of("sh", "-c", "echo \"$GREETING $OTHER\""), null,
                Map.of("GREETING", "hi there", "OTHER", "x'y"), Duration.ofSeconds(30));
        assertEquals("hi there x'y\n", env.stdoutTail());

        compute.writeFile(shared.id(), "/srv/work/marker", "m\n".getBytes(StandardCharsets.UTF_8), 0644);
        CommandResult pwd = run(List.of("sh", "-c", "pwd; cat marker"), "/srv/work", Map.of(), Duration.ofSeconds(30));
        assertEquals(0, pwd.exitCode());
        assertEquals("/srv/work\nm\n", pwd.stdoutTail());
    }

    @Test
    void runKeepsOnlyTheLastFourKibibytes() throws Exception {
        CommandResult r = run(List.of("sh", "-c",
                "i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done; echo THE-END"),
                null, Map.of(), Duration.ofSeconds(30));
        assertEquals(0, r.exitCode());
        assertTrue(r.stdoutTail().getBytes(StandardCharsets.UTF_8).length <= 4096, "tail too long");
        assertTrue(r.stdoutTail().endsWith("line-1999\nTHE-END\n"), r.stdoutTail());
        assertFalse(r.stdoutTail().contains("line-1\n"));
    }

    @Test
    void aCommandThatRunsTooLongTimesOutAsAResult() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        long started = System.nanoTime();
        CommandResult r = compute.run(shared.id(), new ServerCommand(List.of("sleep", "30"), null,
                Map.of("SECRET_TOKEN", "s3cr3t-value"), Duration.ofSeconds(1), null), beats::incrementAndGet);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 15, "did not time out");
        assertEquals(-1, r.exitCode());
        assertTrue(r.stderrTail().contains("timed out after"), r.stderrTail());
        assertFalse(r.stderrTail().contains("s3cr3t-value"));
        assertTrue(beats.get() >= 1);
    }

    @Test
    void envValuesStayOutOfErrors() {
        var e = assertThrows(IOException.class, () -> compute.run("no-such-container-" + RUN,
                new ServerCommand(List.of("true"), null, Map.of("TOKEN", "s3cr3t-value"), Duration.ofSeconds(5),
                        null),
                null));
        assertFalse(e.getMessage().contains("s3cr3t-value"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-container-" + RUN), e.getMessage());
    }

    @Test
    void writeFileAndReadFileRoundTripWithTheMode() throws Exception {
        byte[] secrets = "DB_PASSWORD=s3cr3t\nAPI_KEY=abc\n".getBytes(StandardCharsets.UTF_8);
        compute.writeFile(shared.id(), "/srv/app/config/.env", secrets, 0600);
        assertArrayEquals(secrets, compute.readFile(shared.id(), "/srv/app/config/.env", 1024));
        Path host = compute.hostPath(shared.id(), "/srv/app/config/.env");
        assertArrayEquals(secrets, Files.readAllBytes(host));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(host)));

        // Overwrites, with the new mode.
        byte[] script = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
        compute.writeFile(shared.id(), "/srv/app/config/.env", script, 0755);
        assertArrayEquals(script, compute.readFile(shared.id(), "/srv/app/config/.env", 1024));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(host)));

        // Outside /srv too (the container's own filesystem).
        compute.writeFile(shared.id(), "/etc/roma-dr/site.conf", secrets, 0640);
        assertArrayEquals(secrets, compute.readFile(shared.id(), "/etc/roma-dr/site.conf", 1024));

        assertThrows(IOException.class, () -> compute.readFile(shared.id(), "/srv/app/config/.env", 4));
        assertThrows(NoSuchFileException.class, () -> compute.readFile(shared.id(), "/srv/nothing/here", 1024));
    }

    @Test
    void copyInExtractsATarIntoTheDirectory() throws Exception {
        byte[] tar = tar(t -> {
            dir(t, "./");
            dir(t, "./src/");
            file(t, "./src/main.txt", "main content\n", 0644);
            file(t, "src/run.sh", "#!/bin/sh\necho run\n", 0755);
            symlink(t, "src/current", "main.txt");
            hardlink(t, "src/main-copy.txt", "src/main.txt");
            file(t, "README", "readme\n", 0600);
        });
        compute.copyIn(shared.id(), "/srv/tree", new ByteArrayInputStream(tar));

        assertEquals("main content\n", new String(compute.readFile(shared.id(), "/srv/tree/src/main.txt", 1024),
                StandardCharsets.UTF_8));
        Path host = compute.hostPath(shared.id(), "/srv/tree");
        assertEquals("main content\n", Files.readString(host.resolve("src/main.txt")));
        assertEquals("#!/bin/sh\necho run\n", Files.readString(host.resolve("src/run.sh")));
        assertEquals("rwxr-xr-x",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(host.resolve("src/run.sh"))));
        assertEquals(Path.of("main.txt"), Files.readSymbolicLink(host.resolve("src/current")));
        assertEquals("main content\n", Files.readString(host.resolve("src/main-copy.txt")));
        assertEquals("readme\n", Files.readString(host.resolve("README")));
        CommandResult cat = run(List.of("sh", "-c", "cat src/current; ./src/run.sh"), "/srv/tree", Map.of(),
                Duration.ofSeconds(30));
        assertEquals("main content\nrun\n", cat.stdoutTail());

        // A second copy overwrites.
        compute.copyIn(shared.id(), "/srv/tree", new ByteArrayInputStream(tar(t -> file(t, "README", "v2\n", 0644))));
        assertEquals("v2\n", Files.readString(host.resolve("README")));
    }

    @Test
    void hostileTarsAreRefusedWithNothingWritten() throws Exception {
        List<byte[]> hostile = List.of(
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    file(t, "/etc/evil", "x", 0644);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    file(t, "../evil", "x", 0644);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    file(t, "a/../../evil", "x", 0644);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    symlink(t, "out", "../../..");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    symlink(t, "abs", "/etc");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    symlink(t, "x", ".");
                    symlink(t, "y", "x/..");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    symlink(t, "in", "sub");
                    file(t, "in/evil", "x", 0644);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    symlink(t, "a", "b/..");
                    symlink(t, "b", ".");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    hardlink(t, "passwd", "/etc/passwd");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    hardlink(t, "passwd", "../../etc/passwd");
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    device(t, "null", TarArchiveEntry.LF_CHR);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    device(t, "disk", TarArchiveEntry.LF_BLK);
                }),
                tar(t -> {
                    file(t, "ok.txt", "ok", 0644);
                    device(t, "pipe", TarArchiveEntry.LF_FIFO);
                }));
        Path hostile0 = compute.hostPath(shared.id(), "/srv/hostile");
        for (int i = 0; i < hostile.size(); i++) {
            byte[] bad = hostile.get(i);
            int n = i;
            assertThrows(UnsafeArchiveException.class,
                    () -> compute.copyIn(shared.id(), "/srv/hostile/" + n, new ByteArrayInputStream(bad)),
                    "hostile tar #" + i + " was accepted");
        }
        assertFalse(Files.exists(hostile0), "a refused archive created its directory");
        assertThrows(NoSuchFileException.class, () -> compute.readFile(shared.id(), "/srv/hostile/0/ok.txt", 16));
        assertThrows(NoSuchFileException.class, () -> compute.readFile(shared.id(), "/etc/evil", 16));
        assertThrows(NoSuchFileException.class, () -> compute.readFile(shared.id(), "/srv/evil", 16));
        assertFalse(Files.exists(sitesRoot.resolve("evil")));
        try (Stream<Path> left = Files.list(sitesRoot)) {
            assertTrue(left.allMatch(p -> p.getFileName().toString().startsWith("roma-dr-site-")),
                    "something besides server directories was written under the sites root");
        }
    }

    @Test
    void terminateRemovesTheServerItsServiceContainersAndItsDirectoryOnce() throws Exception {
        LaunchKey key = freshKey();
        Server s = compute.provision(spec(), key);
        compute.awaitReady(s.id(), Duration.ofSeconds(30), null);
        compute.writeFile(s.id(), "/srv/data/file", "x".getBytes(StandardCharsets.UTF_8), 0600);
        Path dir = compute.hostPath(s.id(), "/srv");
        assertTrue(Files.exists(dir.resolve("data/file")));
        // A service container the workflow started for this server carries the site key too.
        String service = docker.createContainerCmd(image)
                .withName("roma-dr-svc-" + UUID.randomUUID().toString().substring(0, 8))
                .withLabels(Map.of(DockerHostCompute.SITE_KEY_LABEL, key.value(), RUN_LABEL, RUN))
                .withCmd(DockerHostCompute.KEEP_ALIVE)
                .exec().getId();
        docker.startContainerCmd(service).exec();
        assertEquals(2, containersFor(key).size());
        // The service container shares the label but is not the server.
        assertEquals(s.id(), compute.findByKey(key).id());

        assertTrue(compute.terminate(s.id()));
        assertEquals(List.of(), containersFor(key));
        assertNull(compute.describe(s.id()));
        assertNull(compute.describe(service));
        assertNull(compute.findByKey(key));
        assertFalse(Files.exists(dir), "the host directory is left");
        assertFalse(compute.terminate(s.id()));
    }

    @Test
    void hostPathMapsOnlyPathsUnderSrv() {
        Path base = sitesRoot.resolve(docker.inspectContainerCmd(shared.id()).exec().getName().substring(1));
        assertEquals(base, compute.hostPath(shared.id(), "/srv"));
        assertEquals(base.resolve("app/data"), compute.hostPath(shared.id(), "/srv/app/data"));
        assertEquals(base.resolve("app/data"), compute.hostPath(shared.id(), "/srv//app/./data/"));
        for (String bad : List.of("/etc", "/srv/../etc", "/srv/app/../../etc", "srv/app", "/srvx/a", "/", "")) {
            assertThrows(IllegalArgumentException.class, () -> compute.hostPath(shared.id(), bad), bad);
        }
        assertThrows(IllegalStateException.class, () -> compute.hostPath("no-such-container-" + RUN, "/srv/a"));
    }

    @Test
    void unknownServersAreNullAndTerminatingThemIsANoOp() throws Exception {
        assertNull(compute.describe("no-such-container-" + RUN));
        assertFalse(compute.terminate("no-such-container-" + RUN));
        assertNull(compute.findByKey(freshKey()));
        assertEquals("docker", compute.name());
    }

    // --- tar building ---

    interface TarBody {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    static byte[] tar(TarBody body) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(buf)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            body.write(t);
            t.finish();
        }
        return buf.toByteArray();
    }

    static void dir(TarArchiveOutputStream t, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_DIR, true);
        e.setMode(0755);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void file(TarArchiveOutputStream t, String name, String content, int mode) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve "/" and ".." as given
        e.setSize(b.length);
        e.setMode(mode);
        t.putArchiveEntry(e);
        t.write(b);
        t.closeArchiveEntry();
    }

    static void symlink(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void hardlink(TarArchiveOutputStream t, String name, String target) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
        e.setLinkName(target);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }

    static void device(TarArchiveOutputStream t, String name, byte type) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        t.putArchiveEntry(e);
        t.closeArchiveEntry();
    }
}
