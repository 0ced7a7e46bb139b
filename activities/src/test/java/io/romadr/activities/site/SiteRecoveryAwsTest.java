package io.romadr.activities.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.DockerDataRecoveryActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.compute.CommandResult;
import io.romadr.activities.compute.ComputeProvider;
import io.romadr.activities.compute.Ec2ComputeProvider;
import io.romadr.activities.compute.LaunchKey;
import io.romadr.activities.compute.Server;
import io.romadr.activities.compute.ServerCommand;
import io.romadr.activities.compute.ServerSpec;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.dns.Route53Dns;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.FileDigest;
import io.romadr.backup.SecretsActivities;
import io.romadr.backup.SecretsExportRequest;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.SiteSpec;
import io.romadr.plan.StateBackupSpec;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.siteloss.DnsOutcome;
import io.romadr.scenario.siteloss.DnsRequest;
import io.romadr.scenario.siteloss.DnsValue;
import io.romadr.scenario.siteloss.ProvisionRequest;
import io.romadr.scenario.siteloss.SiteActivities;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflowImpl;
import io.romadr.scenario.siteloss.SiteServer;
import io.romadr.scenario.siteloss.SiteTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.RRType;

/**
 * Scenario 3 on AWS, workflow level: the real {@link SiteRecoveryWorkflowImpl} in the SDK's test environment, with the
 * real {@link ComputeSiteActivities} on a moto server ({@link Ec2ComputeProvider} for EC2 + SSM + the S3 staging bucket,
 * {@link Route53Dns} through {@link DnsProviders}), the real {@link DockerBackupActivities} (list, verify) and
 * {@link DockerDataRecoveryActivities} (validate) on a local file store, the real {@link SecretsBackupActivities} (the
 * export made from moto's Secrets Manager, encrypted to a key made by the real gpg; the worker decrypts it), the
 * source from a real {@code git daemon}, and HTTP health checks against a JDK HTTP server the test controls.
 *
 * <p>Fakes: only {@link PlanActivities} (the plan is built here instead of read from a plans directory). No activity
 * is faked otherwise. What moto cannot do: it executes no SSM command (every invocation is reported at once as
 * Success with exit 0 and no output), so nothing really runs on the "instance": bootstrap, start commands, the source
 * and data extraction are sent as commands and staged through S3, but have no effect; the health checks therefore
 * probe the test's server on 127.0.0.1 rather than the instance's address. moto's Route53 changes are INSYNC at once.
 * State and artifacts backups are written here as archive + manifest in the layout {@code BackupOperations} writes
 * (making them with the real snapshot activity would need a running service container). Since moto's commands end at
 * once, a long start command is simulated in the provider wrapper (see {@link FaultyProvider}).
 */
@org.junit.jupiter.api.Tag("integration")
class SiteRecoveryAwsTest {
    private static final String PLAN = "roma";
    private static final String RECORD = "roma.example.internal";
    private static final String OLD_SITE = "10.0.0.1";
    private static final String PASSPHRASE = "site-aws " + System.nanoTime();

    private static MotoServer moto;
    private static Ec2Client ec2;
    private static Route53Client route53;
    private static GpgHome gpg;
    private static GitDaemon git;
    private static Path root;
    private static Path keysDir;
    private static BackupStore store;
    private static String imageId;
    private static String gitUrl;
    private static BackupManifest secretsBackup;
    private static DockerClient docker;
    private static final Map<String, String> workerEnv = new HashMap<>();

    private HttpServer health;
    private final AtomicInteger healthRequests = new AtomicInteger();
    private BooleanSupplier healthy = () -> true;
    private String zoneId;
    private String bucket;
    private TestWorkflowEnvironment testEnv;
    private String testName;

    // ---- fixtures -------------------------------------------------------------------------------------------------

    @BeforeAll
    static void startServices() throws Exception {
        moto = MotoServer.start();
        ec2 = Ec2Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION)).credentialsProvider(moto.credentials()).build();
        route53 = Route53Dns.client(moto.endpoint(), Region.of(MotoServer.REGION), moto.credentials());
        imageId = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        docker = DockerClients.fromEnvironment();
        root = Files.createTempDirectory("roma-dr-site-aws");

        // The branch on a real git daemon.
        Path served = Files.createDirectories(root.resolve("served"));
        git = GitDaemon.start(served);
        Path bare = Files.createDirectories(served.resolve("roma.git"));
        GitCli.run(bare, "init", "-q", "--bare");
        Path work = root.resolve("work");
        GitCli.run(root, "init", "-q", "-b", "main", work.toString());
        GitCli.run(work, "config", "user.email", "test@example.org");
        GitCli.run(work, "config", "user.name", "test");
        GitCli.commit(work, "README.md", "roma\n", null);
        GitCli.commit(work, "compose.yml", "services: {}\n", null);
        GitCli.run(work, "push", "-q", bare.toUri().toString(), "main:main");
        gitUrl = "git://127.0.0.1:" + git.port() + "/roma.git";

        // The file store with a state, an artifacts and a secrets backup.
        Path storeDir = Files.createDirectories(root.resolve("store"));
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        long now = System.currentTimeMillis();
        writeArchiveBackup(BackupKind.STATE, now - 600_000, Map.of("roma.db", "state " + now + "\n",
                "runs/1.json", "{\"run\":1}\n"));
        writeArchiveBackup(BackupKind.ARTIFACTS, now - 600_000, Map.of("a.json", "{\"a\":1}\n",
                "b.json", "{\"b\":2}\n"));

        gpg = new GpgHome(PASSPHRASE);
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        keysDir = Files.createDirectories(root.resolve("keys"));
        Files.writeString(keysDir.resolve("ops.asc"), gpg.exportPublic("ops@example.org"));
        Files.writeString(keysDir.resolve("ops.key"), gpg.exportSecret("ops@example.org"));
        workerEnv.put("ROMA_DR_SECRETS_KEY_FILE", keysDir.resolve("ops.key").toString());
        workerEnv.put("ROMA_DR_SECRETS_PASSPHRASE", PASSPHRASE);
        try (SecretsManagerSecrets sm = secretsManager(null)) {
            sm.write(AwsSecretValue.ofString("roma/app", "{\"DB_PASSWORD\":\"pw-" + now + "\"}"));
        }
        TestActivityEnvironment exportEnv = TestActivityEnvironment.newInstance();
        try {
            exportEnv.registerActivitiesImplementations(secretsActivities());
            secretsBackup = exportEnv.newActivityStub(SecretsActivities.class).exportSecrets(new SecretsExportRequest(
                    PLAN, store, secretsSpec(), BackupKeys.objectKey(BackupKind.SECRETS, PLAN, now - 600_000, "sec1"),
                    now - 600_000, "wf-secrets"));
        } finally {
            exportEnv.close();
        }
    }

    @AfterAll
    static void stopServices() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{git, gpg, route53, ec2, docker, moto}) {
            if (c != null) {
                c.close();
            }
        }
        if (root != null) {
            try (java.util.stream.Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @BeforeEach
    void setUp(TestInfo info) throws IOException {
        testName = info.getTestMethod().orElseThrow().getName();
        // The old site's record in a fresh hosted zone.
        String id = route53.createHostedZone(r -> r.name("example.internal.")
                .callerReference(UUID.randomUUID().toString())).hostedZone().id();
        zoneId = id.replace("/hostedzone/", "");
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(c -> c
                .action("UPSERT").resourceRecordSet(s -> s.name(RECORD).type(RRType.A).ttl(60L)
                        .resourceRecords(ResourceRecord.builder().value(OLD_SITE).build())))));
        bucket = moto.freshBucket();
        health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", exchange -> {
            healthRequests.incrementAndGet();
            int status = healthy.getAsBoolean() ? 200 : 503;
            byte[] body = (status == 200 ? "ok" : "down").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        health.start();
    }

    @AfterEach
    void tearDown() {
        if (testEnv != null) {
            testEnv.close();
        }
        health.stop(0);
    }

    private static SecretsManagerSecrets secretsManager(SecretsBackupSpec.SecretsManagerSource ignored) {
        return new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint().toString(), moto.credentials());
    }

    private static SecretsBackupActivities secretsActivities() {
        return new SecretsBackupActivities(keysDir, SiteRecoveryAwsTest::open, SiteRecoveryAwsTest::secretsManager,
                workerEnv::get);
    }

    private static SecretsBackupSpec secretsSpec() {
        return new SecretsBackupSpec(null, new SecretsBackupSpec.SecretsManagerSource(MotoServer.REGION,
                moto.endpoint().toString(), List.of("roma/app")), List.of("ops.asc"));
    }

    private static ObjectStore open(BackupStore s) {
        try {
            return new LocalObjectStore(Path.of(java.net.URI.create(s.uri())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A tar.gz backup as {@code BackupOperations.snapshot} stores it: the root as {@code ./}, then the files; the
     * manifest (sha256 and size of the stored object, entry count, per-file digests for artifacts) written last.
     */
    private static void writeArchiveBackup(BackupKind kind, long createdAt, Map<String, String> files)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<FileDigest> digests = new ArrayList<>();
        long entries = 0;
        long content = 0;
        List<String> dirs = new ArrayList<>();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry rootDir = new TarArchiveEntry("./");
            rootDir.setMode(040755);
            tar.putArchiveEntry(rootDir);
            tar.closeArchiveEntry();
            entries++;
            for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
                String name = f.getKey();
                if (name.contains("/")) {
                    String dir = name.substring(0, name.lastIndexOf('/') + 1);
                    if (!dirs.contains(dir)) {
                        dirs.add(dir);
                        TarArchiveEntry d = new TarArchiveEntry(dir);
                        d.setMode(040755);
                        tar.putArchiveEntry(d);
                        tar.closeArchiveEntry();
                        entries++;
                    }
                }
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(data.length);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
                entries++;
                content += data.length;
                digests.add(new FileDigest(name, data.length, sha256(data)));
            }
        }
        byte[] archive = bytes.toByteArray();
        String key = BackupKeys.objectKey(kind, PLAN, createdAt, kind.id().substring(0, 3) + "1");
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, kind, PLAN, key, sha256(archive), archive.length,
                entries, content, "roma/roma:/app", createdAt, "wf-" + kind.id(),
                kind == BackupKind.ARTIFACTS ? digests : List.of(), List.of(), List.of());
        try (ObjectStore s = open(store)) {
            s.put(key, archive);
            s.put(m.manifestKey(), new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(m));
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private SiteSpec.SiteDns dnsSpec() {
        return new SiteSpec.SiteDns("route53", zoneId, RECORD, "A", 60L, null, MotoServer.REGION,
                moto.endpoint().toString());
    }

    private RecoveryPlan plan() {
        String url = "http://127.0.0.1:" + health.getAddress().getPort() + "/health";
        ContainerTemplate template = new ContainerTemplate("registry.example/roma-builder:latest", null, null,
                List.of("127.0.0.1:8080:8080"), List.of("/srv/roma/state:/app/.roma", "/srv/roma/out:/app/out"), null,
                null, null);
        ServiceSpec service = new ServiceSpec("roma", List.of(new ServiceContainer("roma", template)),
                List.of(new HealthCheck("http", new HttpCheck(url, 200, Duration.ofSeconds(5)), null)), List.of(),
                List.of(), 10);
        GitBackupSpec gitSpec = new GitBackupSpec(new GitRemote("origin", gitUrl, null, null, null, null),
                List.of(new GitRemote("backup", gitUrl, null, null, null, null)), false, null);
        BackupSpec backup = new BackupSpec(store, new StateBackupSpec("roma", "/app/.roma"),
                new ArtifactBackupSpec("roma", "/app/out", List.of("*.json"), null), secretsSpec(), null, null, null,
                gitSpec, null);
        SiteSpec.AwsSite aws = new SiteSpec.AwsSite(MotoServer.REGION, moto.endpoint().toString(), imageId,
                "t3.micro", null, null, null, bucket,
                List.of(new CommandStep("compose-up", List.of("docker", "compose", "up", "-d"), null, null, null)));
        SiteSpec site = new SiteSpec("aws", null, aws, "/srv/roma/app", null,
                List.of(new CommandStep("install-docker",
                        List.of("sh", "-c", "command -v docker || apt-get install -y docker.io"),
                        null, null, null)),
                List.of(), List.of(), dnsSpec(), false, null, false, Duration.ofMinutes(2), Duration.ofSeconds(2),
                Duration.ofSeconds(1));
        return new RecoveryPlan(PLAN, "site loss on aws", service,
                new RtoTargets(Duration.ofMinutes(15), null, null, null, Duration.ofHours(8)), null, null, backup,
                site, null, null);
    }

    private static ComputeProviders motoCompute() {
        return (provider, site) -> {
            assertEquals("aws", provider);
            return new Ec2ComputeProvider(site.aws().region(), site.aws().endpoint(), moto.credentials(),
                    site.aws().stagingBucket());
        };
    }

    private ComputeSiteActivities siteActivities(ComputeProviders compute) throws IOException {
        DockerServiceActivities checks = new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner());
        return new ComputeSiteActivities(compute, new DnsProviders(moto.credentials(), Duration.ofSeconds(30),
                Duration.ofMillis(100)), docker, SiteRecoveryAwsTest::open, secretsActivities(), checks,
                new DockerDataRecoveryActivities(docker, SiteRecoveryAwsTest::open, keysDir), workerEnv::get,
                Files.createDirectories(root.resolve("work-" + testName)));
    }

    private SiteRecoveryWorkflow start(RecoveryPlan plan, ComputeProviders compute) throws IOException {
        testEnv = TestWorkflowEnvironment.newInstance();
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        Worker worker = testEnv.newWorker("site-aws");
        worker.registerWorkflowImplementationTypes(SiteRecoveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(new Plans(plan), new DockerBackupActivities(docker,
                SiteRecoveryAwsTest::open),
                new DockerDataRecoveryActivities(docker, SiteRecoveryAwsTest::open,
                        keysDir),
                siteActivities(compute));
        testEnv.start();
        SiteRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(SiteRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("site-aws").setWorkflowId(workflowId())
                        .setWorkflowExecutionTimeout(Duration.ofHours(1)).build());
        WorkflowClient.start(wf::recover, new SiteRecoveryRequest(PLAN, null, "junit", "aws drill", null));
        return wf;
    }

    private String workflowId() {
        return "site-aws-" + testName + "-" + Long.toHexString(System.nanoTime());
    }

    /** The one fake: the plan is built here. */
    static final class Plans implements PlanActivities {
        private final RecoveryPlan plan;

        Plans(RecoveryPlan plan) {
            this.plan = plan;
        }

        @Override
        public RecoveryPlan loadPlan(String name) {
            assertEquals(PLAN, name);
            return plan;
        }
    }

    // ---- what moto holds -------------------------------------------------------------------------------------------

    private List<String> recordValues() {
        return route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(s -> s.name().equals(RECORD + ".") && s.type() == RRType.A)
                .flatMap(s -> s.resourceRecords().stream()).map(ResourceRecord::value).toList();
    }

    private static List<Instance> instancesOf(String workflowId) {
        return ec2.describeInstances(r -> r.filters(Filter.builder().name("tag:roma-dr:workflow")
                .values(workflowId).build()))
                .reservations().stream().flatMap(res -> res.instances().stream()).toList();
    }

    private static StepRecord step(SiteRecoveryReport r, String name) {
        return r.steps().stream().filter(s -> s.step().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + r.steps()));
    }

    // ---- tests -----------------------------------------------------------------------------------------------------

    /**
     * The real provider with faults: the answer to the first {@code lose} provisions is lost (the instance exists, the
     * caller sees an error), and with {@code slowStart} each start command takes that long (heartbeating as the real
     * provider does while it polls SSM) before it is sent.
     */
    static final class FaultyProvider implements ComputeProvider {
        private final ComputeProvider real;
        private final AtomicInteger calls;
        private final int lose;
        Duration slowStart;
        final AtomicInteger startRuns = new AtomicInteger();

        FaultyProvider(ComputeProvider real, AtomicInteger calls, int lose) {
            this.real = real;
            this.calls = calls;
            this.lose = lose;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public Server provision(ServerSpec spec, LaunchKey key) throws IOException {
            Server made = real.provision(spec, key);
            if (calls.incrementAndGet() <= lose) {
                throw new IOException("connection reset reading the RunInstances answer (made " + made.id() + ")");
            }
            return made;
        }

        @Override
        public Server findByKey(LaunchKey key) throws IOException {
            return real.findByKey(key);
        }

        @Override
        public Server awaitReady(String serverId, Duration timeout, Runnable heartbeat) throws IOException {
            return real.awaitReady(serverId, timeout, heartbeat);
        }

        @Override
        public CommandResult run(String serverId, ServerCommand command, Runnable heartbeat) throws IOException {
            if (slowStart != null && command.idempotencyKey() != null && command.idempotencyKey().contains("/start/")) {
                startRuns.incrementAndGet();
                // A start command (docker compose up pulling images) that takes longer than the heartbeat timeout;
                // the provider calls the heartbeat while it polls SSM, as Ec2ComputeProvider.await does.
                long end = System.nanoTime() + slowStart.toNanos();
                while (System.nanoTime() < end) {
                    heartbeat.run();
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
            }
            return real.run(serverId, command, heartbeat);
        }

        @Override
        public void copyIn(String serverId, String directory, InputStream tar) throws IOException {
            real.copyIn(serverId, directory, tar);
        }

        @Override
        public void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
            real.writeFile(serverId, path, content, mode);
        }

        @Override
        public byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
            return real.readFile(serverId, path, maxBytes);
        }

        @Override
        public Server describe(String serverId) throws IOException {
            return real.describe(serverId);
        }

        @Override
        public boolean terminate(String serverId) throws IOException {
            return real.terminate(serverId);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aProvisionRetriedThreeTimesMakesOneInstance() throws Exception {
        AtomicInteger provisions = new AtomicInteger();
        ComputeProviders real = motoCompute();
        ComputeProviders flaky = (provider, site) -> new FaultyProvider(real.open(provider, site), provisions, 2);
        SiteRecoveryWorkflow wf = start(plan(), flaky);
        String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());
        assertEquals(3, provisions.get());
        List<Instance> made = instancesOf(id);
        assertEquals(1, made.size(), "instances tagged with the workflow: "
                + made.stream().map(Instance::instanceId).toList());
        Instance instance = made.get(0);
        assertEquals("running", instance.state().nameAsString());
        assertEquals(instance.instanceId(), r.server().id());
        assertEquals(3, step(r, "provision").attempts(), step(r, "provision").toString());

        // The cut-over: the record now sends users to the instance, and the step waited for INSYNC.
        assertNotNull(instance.privateIpAddress());
        assertEquals(List.of(instance.privateIpAddress()), recordValues());
        assertEquals(List.of(OLD_SITE), r.dnsBefore().values());
        assertEquals(List.of(instance.privateIpAddress()), r.dnsAfter().values());
        String dnsDetail = step(r, "dns-update").detail();
        assertTrue(dnsDetail.startsWith("changed to ") && dnsDetail.endsWith(" in sync)"), dnsDetail);
        String changeId = dnsDetail.substring(dnsDetail.lastIndexOf('(') + 1,
                dnsDetail.length() - " in sync)".length());
        assertEquals(ChangeStatus.INSYNC, route53.getChange(c -> c.id(changeId)).changeInfo().status());

        // The rest of the runbook ran on the real activities.
        assertEquals("origin", r.source().remote());
        assertTrue(r.secrets().variables().contains("DB_PASSWORD"), r.secrets().toString());
        assertTrue(r.stateBackup().startsWith("state/roma/"), r.stateBackup());
        assertTrue(r.artifactsBackup().startsWith("artifacts/roma/"), r.artifactsBackup());
        assertEquals(0, moto.s3().listObjectsV2(l -> l.bucket(bucket)).keyCount(), "staged objects left behind");
        assertEquals(StepOutcome.OK, step(r, "watch").outcome(), step(r, "watch").toString());
        assertTrue(r.compensation().isEmpty(), r.compensation().toString());
    }

    @Test
    void aFailureAfterTheCutoverTerminatesTheInstanceAndRestoresTheOldRecord() throws Exception {
        // Healthy while users still go to the old site; failing once the record points at the new one.
        healthy = () -> recordValues().equals(List.of(OLD_SITE));
        SiteRecoveryWorkflow wf = start(plan(), motoCompute());
        String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class));
        SiteRecoveryReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(SiteRecoveryReport.class);

        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().contains("failed at watch: unhealthy at probe 1"), r.summary());
        // The cut-over did happen before the failure.
        assertTrue(step(r, "dns-update").detail().startsWith("changed to "), step(r, "dns-update").detail());
        List<Instance> made = instancesOf(id);
        assertEquals(1, made.size(), made.toString());
        String state = made.get(0).state().nameAsString();
        assertTrue(state.equals("terminated") || state.equals("shutting-down"), state);
        assertEquals(List.of(OLD_SITE), recordValues());
        assertEquals(2, r.compensation().size(), r.compensation().toString());
        assertTrue(r.compensation().get(0).startsWith("DNS restored to"), r.compensation().toString());
        assertEquals(made.get(0).instanceId(), r.server().id());
        String server = "aws roma-recovery (" + made.get(0).instanceId() + ") at " + made.get(0).privateIpAddress();
        assertEquals("server " + server + " terminated", r.compensation().get(1));
        assertEquals("terminated " + server,
                step(r, "compensate: server").detail());
        assertEquals(StepOutcome.OK, step(r, "wait-healthy").outcome(), "healthy before the cut-over");
        assertTrue(step(r, "compensate: dns").detail().startsWith("restored "), step(r, "compensate: dns").detail());
        assertEquals(StepOutcome.FAILED, step(r, "watch").outcome());
    }

    /**
     * Regression: the aws start commands (image pulls, compose up) ran without a heartbeat ticker and with a no-op
     * heartbeat, so any start command longer than the workflow's 10 s heartbeat timeout failed every attempt with
     * TIMEOUT_TYPE_HEARTBEAT and the recovery failed at start-services.
     */
    @Test
    void aStartCommandLongerThanTheHeartbeatTimeoutIsNotTimedOut() throws Exception {
        AtomicInteger provisions = new AtomicInteger();
        ComputeProviders real = motoCompute();
        List<FaultyProvider> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        ComputeProviders slow = (provider, site) -> {
            FaultyProvider p = new FaultyProvider(real.open(provider, site), provisions, 0);
            p.slowStart = Duration.ofSeconds(14);
            opened.add(p);
            return p;
        };
        SiteRecoveryWorkflow wf = start(plan(), slow);
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());
        assertEquals(1, opened.stream().mapToInt(p -> p.startRuns.get()).sum(), "start-services was retried");
    }

    @Test
    void compensationIsIdempotent() throws Exception {
        TestActivityEnvironment activityEnv = TestActivityEnvironment.newInstance();
        try {
            activityEnv.registerActivitiesImplementations(siteActivities(motoCompute()));
            SiteActivities site = activityEnv.newActivityStub(SiteActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2)).setHeartbeatTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
            RecoveryPlan plan = plan();
            SiteTarget target = new SiteTarget(PLAN, "aws", plan.site(), null);
            String wfId = workflowId();
            SiteServer server = site.provision(new ProvisionRequest(target, wfId, "provision"));
            SiteTarget on = target.withServer(site.awaitReady(target.withServer(server)));
            DnsValue before = site.currentDns(new DnsRequest(dnsSpec(), List.of(), null, "note"));
            assertEquals(List.of(OLD_SITE), before.values());
            DnsOutcome moved = site.updateDns(new DnsRequest(dnsSpec(), List.of(on.server().address()), before, "n"));
            assertTrue(moved.changed());
            assertEquals(List.of(on.server().address()), recordValues());

            DnsRequest undo = new DnsRequest(dnsSpec(), List.of(), before, "roma-dr " + wfId);
            DnsOutcome first = site.restoreDns(undo);
            assertTrue(first.changed());
            assertEquals(List.of(OLD_SITE), recordValues());
            DnsOutcome second = site.restoreDns(undo);
            assertFalse(second.changed(), second.toString());
            assertEquals(null, second.changeId());
            assertEquals(List.of(OLD_SITE), recordValues());

            assertTrue(site.terminate(on));
            String state = instancesOf(wfId).get(0).state().nameAsString();
            assertTrue(state.equals("terminated") || state.equals("shutting-down"), state);
            assertFalse(site.terminate(on), "a second terminate found something to remove");
            assertEquals(1, instancesOf(wfId).size());
            assertEquals(List.of(OLD_SITE), recordValues());
        } finally {
            activityEnv.close();
        }
    }
}
