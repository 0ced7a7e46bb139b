package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.SecretsWatchReport;
import io.romadr.backup.SecretsWatchWorkflow;
import io.romadr.drill.DrillEnvironment;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanRepository;
import io.romadr.temporal.TaskQueues;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Secret change -> exported (docs/benchmarks.md, section 12): a value changed in Vault or Secrets Manager, until an
 * encrypted export holding that version is committed in the store. roma-dr: the plan's {@link SecretsWatchWorkflow}
 * polling every 10 s. Baseline: the same export started by a client the moment the value is written (a perfect
 * change notification; what the watch's poll can at best approach), on a second plan no watch looks at. Alternating
 * rounds, one JVM, OpenBao dev server, moto, an embedded Temporal server and worker with the real activities.
 */
public final class SecretsWatchBenchmark {
    static final String TASK_QUEUE = "roma-dr-bench-secrets-watch";
    static final Duration POLL = Duration.ofSeconds(10);
    static final String WATCHED = "bench-watched";
    static final String DIRECT = "bench-direct";
    static final ObjectMapper JSON = new ObjectMapper();

    private SecretsWatchBenchmark() {
    }

    /** One side's measurement: the change's kind, wall ms from the write to the export committed. */
    record Sample(String kind, long millis) {
    }

    public static void main(String[] args) throws Exception {
        int changes = args.length > 1 && args[0].equals("--changes") ? Integer.parseInt(args[1]) : 50;
        String command = BenchmarkSupport.command(SecretsWatchBenchmark.class, args);
        Path work = Files.createTempDirectory("roma-bench-secrets-");
        String passphrase = "bench " + UUID.randomUUID();
        try (EmbeddedStack stack = new EmbeddedStack(TASK_QUEUE)) {
            OpenBaoDevServer bao = stack.closeLater(OpenBaoDevServer.start());
            MotoServer moto = stack.closeLater(MotoServer.start());
            GpgHome gpg = stack.closeLater(new GpgHome(passphrase));
            gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
            Path plans = Files.createDirectories(work.resolve("plans"));
            Files.createDirectories(plans.resolve("keys"));
            Files.writeString(plans.resolve("keys/ops.asc"), gpg.exportPublic("ops@example.org"));
            Path store = Files.createDirectories(work.resolve("store"));
            for (String plan : List.of(WATCHED, DIRECT)) {
                Files.writeString(plans.resolve(plan + ".yaml"), """
                        name: %s
                        service:
                          composeProject: %s
                          containers: [{ service: app }]
                          healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                        rto: { service: 15m }
                        backup:
                          store: { uri: "%s" }
                          schedule: { secretsPoll: %ds }
                          secrets:
                            vault: { address: "%s", paths: [%s/app], tokenEnv: BENCH_BAO_TOKEN }
                            secretsManager: { region: %s, endpoint: "%s", names: [%s/db] }
                            recipients: [keys/ops.asc]
                        """.formatted(plan, plan, store.toUri(), POLL.toSeconds(), bao.address(), plan,
                        MotoServer.REGION, moto.endpoint(), plan));
            }
            Map<String, String> env = Map.of("BENCH_BAO_TOKEN", bao.token());
            stack.startWorker(new RomaWorker.Activities(new PlanDirectoryActivities(new PlanRepository(plans)), null,
                    new DockerBackupActivities(DockerClients.fromEnvironment(), SecretsWatchBenchmark::open),
                    new SecretsBackupActivities(plans, SecretsWatchBenchmark::open,
                            s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()), env::get)));
            VaultKvClient vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
            Sources sources = new Sources(vault, new SecretsManagerSecrets(MotoServer.REGION,
                    moto.endpoint().toString(), moto.credentials()));
            for (String plan : List.of(WATCHED, DIRECT)) {
                sources.change(plan, "vault", 0);
                sources.change(plan, "secretsmanager", 0);
            }
            WorkflowClient client = stack.client();
            SecretsWatchWorkflow watch = client.newWorkflowStub(SecretsWatchWorkflow.class, WorkflowOptions
                    .newBuilder().setTaskQueue(TaskQueues.backups(TASK_QUEUE))
                    .setWorkflowId(SecretsWatchWorkflow.workflowIdPrefix(WATCHED) + "-bench").build());
            WorkflowClient.start(watch::watch, new BackupRequest(WATCHED, "benchmark"));
            Exports watched = new Exports(store, WATCHED);
            Exports direct = new Exports(store, DIRECT);
            // The watch's first poll exports everything (no export yet): wait for it before measuring.
            watched.await("vault", sources.version(WATCHED, "vault"), Duration.ofMinutes(2));

            Random phase = new Random(18);
            List<Sample> roma = new ArrayList<>();
            List<Sample> base = new ArrayList<>();
            for (int round = 0; round <= changes; round++) { // round 0 is the warm-up
                String kind = round % 2 == 0 ? "vault" : "secretsmanager";
                Sample r = null;
                Sample b = null;
                for (int side = 0; side < 2; side++) {
                    if ((side + round) % 2 == 0) {
                        // A change at a random point of the poll cycle, as a real change would fall.
                        BenchmarkSupport.sleep(phase.nextInt((int) POLL.toMillis()));
                        long start = System.nanoTime();
                        String version = sources.change(WATCHED, kind, round + 1);
                        watched.await(kind, version, POLL.multipliedBy(6));
                        r = new Sample(kind, (System.nanoTime() - start) / 1_000_000);
                    } else {
                        long start = System.nanoTime();
                        String version = sources.change(DIRECT, kind, round + 1);
                        client.newWorkflowStub(SecretsBackupWorkflow.class, WorkflowOptions.newBuilder()
                                .setTaskQueue(TaskQueues.backups(TASK_QUEUE))
                                .setWorkflowId("bench-direct-" + round).build())
                                .backup(new BackupRequest(DIRECT, "benchmark"));
                        direct.await(kind, version, POLL.multipliedBy(6));
                        b = new Sample(kind, (System.nanoTime() - start) / 1_000_000);
                    }
                }
                System.err.printf(Locale.ROOT, "%s %2d (%s): watch %6d ms, direct export %6d ms%n",
                        round == 0 ? "warmup" : "run   ", round, kind, r.millis(), b.millis());
                if (round > 0) {
                    roma.add(r);
                    base.add(b);
                }
            }
            SecretsWatchReport report = watch.progress();
            WorkflowStub.fromTyped(watch).terminate("benchmark done");
            LagHistory lags = JSON.readValue(store.resolve(LagHistory.key(WATCHED, "secrets")).toFile(),
                    LagHistory.class);
            System.out.print(markdown(changes, roma, base, lags.samples(), report, command));
        } finally {
            DrillEnvironment.deleteTree(work);
        }
    }

    /** The benchmark's writes: each change a new value, so a new version. */
    static final class Sources {
        private final VaultKvClient vault;
        private final SecretsManagerSecrets sm;

        Sources(VaultKvClient vault, SecretsManagerSecrets sm) {
            this.vault = vault;
            this.sm = sm;
        }

        /** Writes a new value of the plan's secret of {@code kind}; returns its version. */
        String change(String plan, String kind, int n) throws IOException {
            String value = "value-" + n + "-" + UUID.randomUUID();
            if (kind.equals("vault")) {
                return String.valueOf(vault.write(plan + "/app", Map.of("TOKEN", value)));
            }
            sm.write(AwsSecretValue.ofString(plan + "/db", value));
            return sm.versions(plan + "/db").current();
        }

        String version(String plan, String kind) throws IOException {
            return kind.equals("vault")
                    ? String.valueOf(vault.metadata(plan + "/app").orElseThrow().currentVersion())
                    : sm.versions(plan + "/db").current();
        }
    }

    /** The plan's exports as their manifests appear in the store (each read once). */
    static final class Exports {
        private final Path dir;
        private final String plan;
        private final Map<String, BackupManifest> seen = new HashMap<>();

        Exports(Path store, String plan) {
            this.dir = store.resolve("secrets").resolve(plan);
            this.plan = plan;
        }

        /** Returns once a committed export holds {@code version} of the plan's secret of {@code kind}. */
        void await(String kind, String version, Duration timeout) throws IOException {
            String name = kind.equals("vault") ? "vault:secret/" + plan + "/app" : "secretsmanager:" + plan + "/db";
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        for (Path f : files.filter(f -> BackupKeys.isManifest(f.getFileName().toString())).toList()) {
                            if (!seen.containsKey(f.getFileName().toString())) {
                                seen.put(f.getFileName().toString(), JSON.readValue(f.toFile(),
                                        BackupManifest.class));
                            }
                        }
                    }
                }
                if (seen.values().stream().anyMatch(m -> version.equals(m.secretVersions().get(name)))) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no export of " + name + " version " + version + " within "
                            + timeout);
                }
                BenchmarkSupport.sleep(20);
            }
        }
    }

    private static ObjectStore open(BackupStore spec) {
        try {
            return ObjectStores.open(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String markdown(int changes, List<Sample> roma, List<Sample> base, List<LagSample> recorded,
            SecretsWatchReport report, String command) {
        List<Long> r = roma.stream().map(Sample::millis).toList();
        List<Long> b = base.stream().map(Sample::millis).toList();
        List<Long> lag = recorded.stream().map(LagSample::lagMillis).toList();
        StringBuilder m = new StringBuilder();
        m.append("### secret change -> exported\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Changes: ").append(changes).append(" per side (Vault and Secrets Manager in turn), alternating ")
                .append("sides, after one uncounted warm-up round; poll interval ").append(POLL.toSeconds())
                .append(" s; each watched change at a random point of the poll cycle\n");
        m.append("- Watch: ").append(report.polls()).append(" polls, ").append(report.exports())
                .append(" exports, ").append(report.failedPolls()).append(" failed polls, ")
                .append(report.failedExports()).append(" failed exports\n\n");
        m.append("| side | p50 s | p99 s | max s | p50 polls | p99 polls |\n");
        m.append("|---|---:|---:|---:|---:|---:|\n");
        row(m, "roma-dr watch: write -> export committed (client's clock)", r);
        row(m, "roma-dr watch: lag it recorded (source's change time -> committed)", lag);
        row(m, "baseline: write, then the export started at once", b);
        m.append('\n');
        long[] rs = sorted(r);
        m.append(String.format(Locale.ROOT, "**p99 %.1f s = %.2f poll intervals (goal <= 2). Ratio watch / "
                + "immediate export: %.2fx (medians).**%n", rank(rs, 0.99) / 1000.0,
                rank(rs, 0.99) / (double) POLL.toMillis(), median(r) / median(b)));
        return m.toString();
    }

    private static void row(StringBuilder m, String side, List<Long> v) {
        long[] s = sorted(v);
        double p = POLL.toMillis();
        m.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.2f | %.2f |%n", side,
                median(v) / 1000.0, rank(s, 0.99) / 1000.0, s[s.length - 1] / 1000.0, median(v) / p,
                rank(s, 0.99) / p));
    }
}
