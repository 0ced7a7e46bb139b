package io.romadr.cli;

import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.scenario.datacorruption.ProducerRequest;
import io.romadr.scenario.datacorruption.QuarantineRequest;
import io.romadr.scenario.datacorruption.QuarantineResult;
import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;
import io.romadr.scenario.datacorruption.ValidateBackupRequest;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.SiteSpec;
import io.romadr.plan.StateBackupSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.siteloss.DnsOutcome;
import io.romadr.scenario.siteloss.DnsRequest;
import io.romadr.scenario.siteloss.DnsValue;
import io.romadr.scenario.siteloss.ImagePullRequest;
import io.romadr.scenario.siteloss.ImagePullResult;
import io.romadr.scenario.siteloss.ProvisionRequest;
import io.romadr.scenario.siteloss.SecretsInstallRequest;
import io.romadr.scenario.siteloss.SecretsInstallResult;
import io.romadr.scenario.siteloss.ServerCommandRequest;
import io.romadr.scenario.siteloss.SiteActivities;
import io.romadr.scenario.siteloss.SiteArtifactsRequest;
import io.romadr.scenario.siteloss.SiteHealthRequest;
import io.romadr.scenario.siteloss.SiteRestoreRequest;
import io.romadr.scenario.siteloss.SiteRestoreResult;
import io.romadr.scenario.siteloss.SiteServer;
import io.romadr.scenario.siteloss.SiteTarget;
import io.romadr.scenario.siteloss.SourceRequest;
import io.romadr.scenario.siteloss.SourceResult;
import io.romadr.scenario.siteloss.StartServicesRequest;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory site for Scenario 3 in the CLI tests: one server per provisioning key, one DNS record per plan
 * ({@code <plan>.example.internal}, first 10.0.0.1). The plan name picks the behaviour: {@code *approve*} makes the
 * plan ask for approval before the cut-over; {@code *slow*} holds the install command until {@link #RELEASE};
 * {@code *broken*} fails the build command (after the server exists, so compensation has something to undo).
 */
final class FakeSiteActivities implements SiteActivities {
    static volatile CountDownLatch RELEASE = new CountDownLatch(1);
    static final Map<String, SiteServer> SERVERS = new ConcurrentHashMap<>();
    static final Map<String, DnsValue> RECORDS = new ConcurrentHashMap<>();

    /** A plan with a site section (docker and aws), git, secrets, state and artifacts backups; seeds the backups. */
    static RecoveryPlan plan(String name) {
        long created = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        for (BackupKind kind : List.of(BackupKind.STATE, BackupKind.ARTIFACTS, BackupKind.SECRETS)) {
            String key = BackupKeys.objectKey(kind, name, created, "seed");
            FakeBackups.STORED.computeIfAbsent(key, k -> new BackupManifest(BackupManifest.FORMAT, kind, name, k,
                    "5e".repeat(32), 2048, 3, 8192, "roma:/app", created, "wf-seed", List.of(), List.of(),
                    List.of()));
        }
        ContainerTemplate template = new ContainerTemplate("registry.example/roma:latest", null, null,
                List.of("127.0.0.1:8080:8080"), List.of("/srv/roma/state:/app/.roma"), null, null, null);
        ServiceSpec service = new ServiceSpec(name, List.of(new ServiceContainer("roma", template)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        GitBackupSpec git = new GitBackupSpec(new GitRemote("origin", "git://127.0.0.1:9418/roma.git", null, null,
                null, null), List.of(new GitRemote("backup", "git://127.0.0.1:9419/roma.git", null, null, null, null)),
                false, null);
        SecretsBackupSpec secrets = new SecretsBackupSpec(new SecretsBackupSpec.VaultSource("http://127.0.0.1:8200",
                null, List.of("roma/app"), null), null, List.of("keys/ops.asc"));
        BackupSpec backup = new BackupSpec(new BackupStore("file:///tmp/roma-dr-cli-test", null, null, null),
                new StateBackupSpec("roma", "/app/.roma"), new ArtifactBackupSpec("roma", "/app/out",
                        List.of("*.json"), null),
                secrets, null, null, null, git, null);
        SiteSpec site = new SiteSpec("docker", new SiteSpec.DockerSite("roma-dr/site-host:test"),
                new SiteSpec.AwsSite(null, null, "ami-0123456789", null, null, null, null, null, null), "/srv/roma",
                null, List.of(new CommandStep("install", List.of("true"), null, null, null)),
                List.of(new CommandStep("build", List.of("true"), null, null, null)), List.of(),
                new SiteSpec.SiteDns("zone-file", "example.internal", name + ".example.internal", null, null,
                        "/tmp/zone", null, null),
                name.contains("approve"), Duration.ofMinutes(5), null, null, Duration.ZERO, Duration.ofSeconds(1));
        return new RecoveryPlan(name, "CLI test site plan", service,
                new RtoTargets(Duration.ofMinutes(15), null, null, null, null), null, null, backup, site, null, null);
    }

    @Override
    public SiteServer provision(ProvisionRequest r) {
        return SERVERS.computeIfAbsent(r.workflowId() + "/" + r.step(), k -> new SiteServer(r.target().provider(),
                "srv-" + r.workflowId(), "roma-recovery", "10.9.9.9", "pending", 1));
    }

    @Override
    public SiteServer awaitReady(SiteTarget t) {
        SiteServer s = t.server();
        return new SiteServer(s.provider(), s.id(), s.name(), s.address(), "running", 1);
    }

    @Override
    public ActionResult runOnServer(ServerCommandRequest r) {
        String plan = r.target().plan();
        String step = r.step().name();
        if (plan.contains("slow") && step.equals("install")) {
            awaitRelease();
        }
        if (plan.contains("broken") && step.equals("build")) {
            throw ApplicationFailure.newNonRetryableFailure("build exited 2: missing dependency", "CommandFailed");
        }
        return new ActionResult(true, step + ": exit 0", 1);
    }

    @Override
    public SourceResult installSource(SourceRequest r) {
        return new SourceResult("backup", "c0ffee".repeat(6) + "abcd", 12, List.of("origin: connection refused"));
    }

    @Override
    public SecretsInstallResult installSecrets(SecretsInstallRequest r) {
        return new SecretsInstallResult(r.manifest().objectKey(), r.target().site().envFile(),
                List.of("API_TOKEN", "DB_URL"));
    }

    @Override
    public ImagePullResult pullImages(ImagePullRequest r) {
        Map<String, String> resolved = new java.util.HashMap<>();
        r.templateImages().forEach(i -> resolved.put(i, i));
        return new ImagePullResult(resolved, "primary", List.of());
    }

    @Override
    public ActionResult startServices(StartServicesRequest r) {
        return new ActionResult(true, "started roma", 1);
    }

    @Override
    public SiteRestoreResult restoreData(SiteRestoreRequest r) {
        return new SiteRestoreResult(r.manifest().objectKey(), r.path(), 3, 100, "restored 3 entries", 1);
    }

    @Override
    public HealthResult checkHealth(SiteHealthRequest r) {
        return new HealthResult(true, List.of(new CheckResult("http", true, "200")), 1, 0, 1);
    }

    @Override
    public ArtifactCheck validateArtifacts(SiteArtifactsRequest r) {
        return new ArtifactCheck(2, List.of());
    }

    @Override
    public DnsValue currentDns(DnsRequest r) {
        return record(r);
    }

    @Override
    public DnsOutcome updateDns(DnsRequest r) {
        DnsValue before = record(r);
        DnsValue next = new DnsValue(before.name(), before.type(), before.ttl(), r.values());
        RECORDS.put(r.dns().name(), next);
        boolean changed = !next.values().equals(before.values());
        return new DnsOutcome(next, changed, changed ? "C1" : null, 1);
    }

    @Override
    public DnsOutcome restoreDns(DnsRequest r) {
        boolean changed = !r.previous().values().equals(record(r).values());
        RECORDS.put(r.dns().name(), r.previous());
        return new DnsOutcome(r.previous(), changed, "C2", 1);
    }

    @Override
    public boolean terminate(SiteTarget t) {
        return SERVERS.values().removeIf(s -> s.id().equals(t.server().id()));
    }

    private static DnsValue record(DnsRequest r) {
        return RECORDS.computeIfAbsent(r.dns().name(), n -> new DnsValue(n + ".", "A", 60, List.of("10.0.0.1")));
    }

    private static void awaitRelease() {
        long deadline = System.currentTimeMillis() + 30_000;
        try {
            while (!RELEASE.await(500, TimeUnit.MILLISECONDS) && System.currentTimeMillis() < deadline) {
                Activity.getExecutionContext().heartbeat(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Scenario 3 checks the artifacts inside a backup before restoring it; every seeded one is valid. It never
     * quarantines nor stops or starts a producer (that is Scenario 2): such a call fails the test.
     */
    static final class Data implements DataRecoveryActivities {
        @Override
        public ArtifactCheck validateArtifacts(ValidateArtifactsRequest request) {
            return new ArtifactCheck(1, List.of());
        }

        @Override
        public ArtifactCheck validateBackup(ValidateBackupRequest request) {
            return new ArtifactCheck(1, List.of());
        }

        @Override
        public QuarantineResult quarantine(QuarantineRequest request) {
            throw new AssertionError("Scenario 3 called a Scenario 2 activity");
        }

        @Override
        public ActionResult stopProducer(ProducerRequest request) {
            throw new AssertionError("Scenario 3 called a Scenario 2 activity");
        }

        @Override
        public ActionResult startProducer(ProducerRequest request) {
            throw new AssertionError("Scenario 3 called a Scenario 2 activity");
        }
    }
}
