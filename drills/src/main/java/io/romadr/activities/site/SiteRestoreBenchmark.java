package io.romadr.activities.site;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.compute.LaunchKey;
import io.romadr.activities.compute.Server;
import io.romadr.activities.compute.ServerSpec;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.bench.BenchmarkSupport;
import io.romadr.drill.DrillEnvironment;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.SiteSpec;
import io.romadr.scenario.siteloss.SiteActivities;
import io.romadr.scenario.siteloss.SiteRestoreRequest;
import io.romadr.scenario.siteloss.SiteServer;
import io.romadr.scenario.siteloss.SiteTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Scenario 3's data restore onto a new docker-provider server, against the seed's own commands for the same job.
 * Ours ({@code SiteActivities.restoreData}): download from the store to a temp file while hashing, compare with the
 * manifest, gunzip, check every entry (TarSanitizer), copy into the server. Baseline (seed, Scenario 3 step 4):
 * {@code docker cp state.tar.gz server:/tmp/ && docker exec server tar xzf /tmp/state.tar.gz -C <dir>}, which checks
 * nothing. Same archive, same server, alternating order, a fresh target directory per round; medians.
 *
 * <p>Run with {@code bench/site-restore-benchmark.sh [MIB] [ROUNDS]}.
 */
public final class SiteRestoreBenchmark {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String image = SandboxImage.ensure(docker);
        Path root = Files.createTempDirectory("roma-dr-site-bench-");
        Path sites = Files.createDirectories(root.resolve("sites"));
        Path store = Files.createDirectories(root.resolve("store"));
        String plan = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        BackupManifest manifest = archive(store, plan, mib);
        Path archive = store.resolve(manifest.objectKey());
        DockerHostCompute compute = new DockerHostCompute(docker, sites);
        Server server = compute.provision(new ServerSpec(image, null, null, null, null, null, Map.of()),
                new LaunchKey(plan, "bench", "provision"));
        compute.awaitReady(server.id(), Duration.ofMinutes(1), () -> {
        });
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            ComputeSiteActivities impl = new ComputeSiteActivities((p, s) -> new DockerHostCompute(docker, sites), null,
                    docker, spec -> {
                        try {
                            return ObjectStores.open(spec);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }, null, null, null, System::getenv, root.resolve("work"));
            env.registerActivitiesImplementations(impl);
            SiteActivities site = env.newActivityStub(SiteActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(30)).setHeartbeatTimeout(Duration.ofSeconds(10))
                    .build());
            SiteSpec spec = new SiteSpec("docker", new SiteSpec.DockerSite(image), null, "/srv/app", null, null,
                    null, null, null, null, null, null, null, null, null);
            SiteTarget target = new SiteTarget(plan, "docker", spec, new SiteServer("docker", server.id(), plan,
                    server.address(), "running", 1));
            BackupStore backupStore = new BackupStore(store.toUri().toString(), null, null, null);

            List<Double> ours = new ArrayList<>();
            List<Double> seed = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < 2; i++) {
                    boolean oursNow = (round + i) % 2 == 0;
                    String dir = "/srv/bench/" + (oursNow ? "ours" : "seed") + "-" + round;
                    long t0 = System.nanoTime();
                    if (oursNow) {
                        ServiceSpec services = new ServiceSpec("bench", List.of(new ServiceContainer("app",
                                new ContainerTemplate(image, null, null, null, List.of(dir + ":/data"), null, null,
                                        null))),
                                List.of(new HealthCheck("h", new HttpCheck("http://127.0.0.1:1/",
                                        200, null), null)),
                                null, null, null);
                        site.restoreData(new SiteRestoreRequest(target, backupStore, manifest, services, "app",
                                "/data"));
                        ours.add((System.nanoTime() - t0) / 1e9);
                    } else {
                        run("docker", "cp", archive.toString(), server.id() + ":/tmp/state.tar.gz");
                        run("docker", "exec", server.id(), "sh", "-c", "mkdir -p " + dir + " && tar xzf "
                                + "/tmp/state.tar.gz -C " + dir + " && rm /tmp/state.tar.gz");
                        seed.add((System.nanoTime() - t0) / 1e9);
                    }
                    // Both wrote every file: compare the sizes on the server's disk.
                    long bytes = size(compute.hostPath(server.id(), dir));
                    if (bytes != manifest.contentBytes()) {
                        throw new IllegalStateException(dir + " holds " + bytes + " bytes, expected "
                                + manifest.contentBytes());
                    }
                }
            }
            double o = BenchmarkSupport.median(ours);
            double s = BenchmarkSupport.median(seed);
            System.out.printf(Locale.ROOT, "### Site data restore, %d MiB state (%d files), %d rounds%n%n", mib,
                    manifest.entries(), rounds);
            System.out.println("| path | median s | runs (s) |");
            System.out.println("| --- | --- | --- |");
            System.out.printf(Locale.ROOT,
                    "| roma-dr restoreData (verify sha256, check entries, copy in) | %.2f | %s |%n",
                    o, fmt(ours));
            System.out.printf(Locale.ROOT, "| seed: docker cp + docker exec tar xzf (no checks) | %.2f | %s |%n", s,
                    fmt(seed));
            System.out.printf(Locale.ROOT, "%nratio roma-dr / seed: **%.2f**%n", o / s);
        } finally {
            env.close();
            compute.terminate(server.id());
            DrillEnvironment.deleteTree(root);
        }
        // The test environment leaves a non-daemon timer thread behind.
        System.exit(0);
    }

    /** A state directory's archive as the snapshot writes it (tar.gz), half incompressible, half text, in the store. */
    private static BackupManifest archive(Path store, String plan, int mib) throws Exception {
        long createdAt = System.currentTimeMillis();
        String key = BackupKeys.objectKey(BackupKind.STATE, plan, createdAt, "bench");
        Path file = store.resolve(key);
        Files.createDirectories(file.getParent());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(42);
        int files = Math.max(1, mib / 4);
        long content = 0;
        try (OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), sha);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(raw))) {
            for (int i = 0; i < files; i++) {
                byte[] data = new byte[4 << 20];
                if (i % 2 == 0) {
                    random.nextBytes(data);
                } else {
                    byte[] line = ("cursor line " + i + " of the roma execution state\n")
                            .getBytes(StandardCharsets.US_ASCII);
                    for (int p = 0; p < data.length; p++) {
                        data[p] = line[p % line.length];
                    }
                }
                TarArchiveEntry e = new TarArchiveEntry("part-" + i + ".bin");
                e.setSize(data.length);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
                content += data.length;
            }
        }
        return new BackupManifest(BackupManifest.FORMAT, BackupKind.STATE, plan, key,
                HexFormat.of().formatHex(sha.digest()), Files.size(file), files, content, "bench", createdAt, "bench",
                List.of(), List.of(), List.of());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String fmt(List<Double> xs) {
        return String.join(", ", xs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }
}
