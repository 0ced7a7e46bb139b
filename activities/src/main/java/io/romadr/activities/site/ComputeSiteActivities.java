package io.romadr.activities.site;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.backup.SecretsEnvironment;
import io.romadr.activities.compute.CommandResult;
import io.romadr.activities.compute.ComputeProvider;
import io.romadr.activities.compute.LaunchKey;
import io.romadr.activities.compute.Server;
import io.romadr.activities.compute.ServerCommand;
import io.romadr.activities.compute.ServerSpec;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.dns.DnsChange;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.git.GitRemoteUnreachableException;
import io.romadr.activities.git.SourceTreeExport;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.backup.BackupManifest;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.activities.plan.PlanEnvironment;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.ServiceContainer;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.lib.NullProgressMonitor;

/**
 * {@link SiteActivities} on real systems: the compute provider the recovery asked for, the plan's DNS provider, the
 * object store, the worker's OpenPGP key, git remotes, registries and (docker provider) the local Docker engine that
 * runs the new server's services. Every method can run again with the same end state.
 * <p>Over 400 lines: one class implements the 16 methods of the one activity interface of Scenario 3; the work of each
 * lives in a role class (SiteImages, SiteServices, SourceTreeExport, the compute and DNS providers).
 */
public final class ComputeSiteActivities implements SiteActivities {
    private final ComputeProviders compute;
    private final DnsProviders dns;
    private final Function<BackupStore, ObjectStore> stores;
    private final SecretsBackupActivities secrets;
    private final SourceTreeExport sources;
    private final SiteImages images;
    private final SiteServices services;
    private final ServiceActivities checks;
    private final DataRecoveryActivities artifacts;
    private final Path workRoot;

    public ComputeSiteActivities(ComputeProviders compute, DnsProviders dns, DockerClient docker,
            Function<BackupStore, ObjectStore> stores, SecretsBackupActivities secrets, ServiceActivities checks,
            DataRecoveryActivities artifacts, Function<String, String> env, Path workRoot) {
        this.compute = compute;
        this.dns = dns;
        this.stores = stores;
        this.secrets = secrets;
        this.sources = new SourceTreeExport(workRoot.resolve("git"), env);
        this.images = new SiteImages(docker, env);
        this.services = new SiteServices(docker);
        this.checks = checks;
        this.artifacts = artifacts;
        this.workRoot = workRoot;
    }

    // ---- the server ----------------------------------------------------------------------------------------------

    @Override
    public SiteServer provision(ProvisionRequest r) {
        SiteTarget t = r.target();
        LaunchKey key = new LaunchKey(t.plan(), r.workflowId(), r.step());
        ServerSpec spec = switch (t.provider()) {
            case "aws" -> new ServerSpec(t.site().aws().ami(), t.site().aws().instanceType(), null,
                    t.site().aws().securityGroupIds(), t.site().aws().subnetId(), null,
                    Map.of("Name", t.plan() + "-recovery"));
            default -> new ServerSpec(t.site().docker().image(), null, null, List.of(), null, null, Map.of());
        };
        return withProvider(t, "provisioning a " + t.provider() + " server", (p, beat) -> site(p.provision(spec, key)));
    }

    @Override
    public SiteServer awaitReady(SiteTarget t) {
        return withProvider(t, "waiting for " + t.server().id(),
                (p, beat) -> site(p.awaitReady(t.server().id(), t.site().readyTimeout(), beat)));
    }

    @Override
    public ActionResult runOnServer(ServerCommandRequest r) {
        CommandStep step = r.step();
        String workdir = step.workdir() != null ? step.workdir() : r.defaultWorkdir();
        PlanEnvironment.Resolved env = PlanEnvironment.resolve(step.env());
        CommandResult result = withProvider(r.target(), "running " + step.name() + " on " + r.target().server().id(),
                (p, beat) -> runStep(p, r.target(), step, workdir, env, r.key(), beat));
        return new ActionResult(true, "exit 0" + (result.stdoutTail().isBlank()
                ? ""
                : ": " + LogRedactor.redactTail(env.mask(result.stdoutTail()).strip(), 200)), attempt());
    }

    /**
     * One plan command on the server; a non-zero exit is a retryable failure (plan commands are required to be safe to
     * run again, as the seed's are) with the end of its output, secrets masked.
     */
    private static CommandResult runStep(ComputeProvider p, SiteTarget t, CommandStep step, String workdir,
            PlanEnvironment.Resolved env, String key, Runnable beat) throws IOException {
        CommandResult result = p.run(t.server().id(), new ServerCommand(step.command(), workdir, env.values(),
                step.timeout(), key), beat);
        if (!result.ok()) {
            throw ApplicationFailure.newFailure(step.name() + " exited " + result.exitCode() + ": "
                    + LogRedactor.redactTail(env.mask(result.stderrTail().isBlank()
                            ? result.stdoutTail()
                            : result.stderrTail()),
                            500),
                    "CommandFailed");
        }
        return result;
    }

    @Override
    public boolean terminate(SiteTarget t) {
        return withProvider(t, "terminating " + t.server().id(), (p, beat) -> p.terminate(t.server().id()));
    }

    // ---- the application ---------------------------------------------------------------------------------------

    @Override
    public SourceResult installSource(SourceRequest r) {
        SiteTarget t = r.target();
        return withProvider(t, "installing the source on " + t.server().id(), (p, beat) -> {
            Path tar = temp("source-", ".tar");
            try {
                SourceTreeExport.Exported e;
                try {
                    e = sources.export(r.git(), r.branch(), tar, NullProgressMonitor.INSTANCE);
                } catch (GitRemoteUnreachableException unreachable) {
                    throw ApplicationFailure.newFailure(unreachable.getMessage(), "GitRemoteUnreachable");
                }
                beat.run();
                try (InputStream in = Files.newInputStream(tar)) {
                    p.copyIn(t.server().id(), t.site().appDir(), in);
                }
                return new SourceResult(e.remote(), e.commit(), e.files(), e.skipped());
            } finally {
                Files.deleteIfExists(tar);
            }
        });
    }

    @Override
    public SecretsInstallResult installSecrets(SecretsInstallRequest r) {
        SiteTarget t = r.target();
        return withProvider(t, "installing the secrets on " + t.server().id(), (p, beat) -> {
            Map<String, String> vars = secrets.environment(r.store(), r.manifest());
            byte[] envFile;
            try {
                envFile = SecretsEnvironment.render(vars);
            } catch (IllegalArgumentException e) {
                throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidSecret");
            }
            try {
                p.writeFile(t.server().id(), t.site().envFile(), envFile, 0600);
            } finally {
                java.util.Arrays.fill(envFile, (byte) 0);
            }
            return new SecretsInstallResult(r.manifest().objectKey(), t.site().envFile(), List.copyOf(vars.keySet()));
        });
    }

    @Override
    public ImagePullResult pullImages(ImagePullRequest r) {
        boolean onThisEngine = r.target().provider().equals("docker");
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            return images.resolve(r.images(), r.templateImages(), onThisEngine, () -> hb.beat(null));
        } catch (IOException e) {
            throw ApplicationFailure.newFailure("pulling images: " + e.getMessage(), "ImagePullFailed");
        }
    }

    @Override
    public ActionResult startServices(StartServicesRequest r) {
        SiteTarget t = r.target();
        return withProvider(t, "starting the services on " + t.server().id(), (p, beat) -> {
            if (t.provider().equals("aws")) {
                List<String> done = new ArrayList<>();
                for (CommandStep step : t.site().aws().start()) {
                    PlanEnvironment.Resolved env = PlanEnvironment.resolve(step.env())
                            .with("ROMA_DR_REGISTRY", r.registry());
                    runStep(p, t, step, step.workdir() == null ? t.site().appDir() : step.workdir(), env,
                            t.plan() + "/" + t.server().id() + "/start/" + step.name(), beat);
                    done.add(step.name());
                }
                return new ActionResult(true, "ran " + String.join(", ", done), attempt());
            }
            Server server = p.describe(t.server().id());
            if (server == null) {
                throw ApplicationFailure.newNonRetryableFailure("server " + t.server().id() + " is gone",
                        "ServerGone");
            }
            Map<String, String> env = readEnv(p, t);
            return services.start(r.service(), server, r.images(), env, path -> hostPath(p, t, path));
        });
    }

    // ---- data ------------------------------------------------------------------------------------------------------

    @Override
    public SiteRestoreResult restoreData(SiteRestoreRequest r) {
        SiteTarget t = r.target();
        ServiceContainer container = r.services().containers().stream().filter(c -> c.service().equals(r.service()))
                .findFirst().orElseThrow(() -> ApplicationFailure.newNonRetryableFailure("service " + r.service()
                        + " is not in the plan's containers", "InvalidPlan"));
        String serverDir = SiteServices.serverDirectory(container.template(), r.path());
        BackupManifest m = r.manifest();
        return withProvider(t, "restoring " + m.objectKey() + " on " + t.server().id(), (p, beat) -> {
            Path archive = temp("restore-", ".tar.gz");
            try {
                // Download and check the bytes before any of them reaches the server.
                MessageDigest sha = Sha256.newDigest();
                long size;
                try (ObjectStore store = stores.apply(r.store());
                        InputStream in = store.open(m.objectKey());
                        OutputStream out = new DigestOutputStream(Files.newOutputStream(archive), sha)) {
                    size = in.transferTo(out);
                }
                String actual = Sha256.hex(sha);
                if (!actual.equals(m.sha256()) || size != m.sizeBytes()) {
                    throw ApplicationFailure.newNonRetryableFailure("backup " + m.objectKey() + " does not match its "
                            + "manifest (sha256 " + actual + ", " + size + " bytes); nothing restored",
                            "BackupCorrupt");
                }
                beat.run();
                try (InputStream tar = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
                    p.copyIn(t.server().id(), serverDir, tar);
                }
                Server server = t.provider().equals("docker") ? p.describe(t.server().id()) : null;
                String restarted = server == null
                        ? ""
                        : services.restart(r.services().composeProject(), r.service(), server);
                return new SiteRestoreResult(m.objectKey(), t.server().id() + ":" + serverDir, m.entries(), size,
                        "restored " + m.entries() + " entries of " + m.objectKey() + " into " + serverDir + " ("
                                + r.path() + " of " + r.service() + ")" + restarted,
                        attempt());
            } finally {
                Files.deleteIfExists(archive);
            }
        });
    }

    // ---- verification --------------------------------------------------------------------------------------------

    @Override
    public HealthResult checkHealth(SiteHealthRequest r) {
        String address = r.target().server() == null ? "" : r.target().server().address();
        List<HealthCheck> resolved = r.checks().checks().stream().map(c -> c.http() == null
                ? c
                : new HealthCheck(c.name(), new HttpCheck(c.http().url().replace("{address}", address),
                        c.http().expectStatus(), c.http().timeout()), null))
                .toList();
        HealthRequest request = new HealthRequest(r.checks().composeProject(), resolved, r.checks().within(),
                r.checks().pollInterval());
        return request.within().isZero() ? checks.check(request) : checks.waitHealthy(request);
    }

    @Override
    public ArtifactCheck validateArtifacts(SiteArtifactsRequest r) {
        return artifacts.validateArtifacts(r.artifacts());
    }

    // ---- DNS -------------------------------------------------------------------------------------------------------

    @Override
    public DnsValue currentDns(DnsRequest r) {
        return dns.with(r.dns(), p -> value(p.current(r.dns().zone(), r.dns().name(), r.dns().type())));
    }

    @Override
    public DnsOutcome updateDns(DnsRequest r) {
        if (r.values().isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("no address to point " + r.dns().name() + " at",
                    "InvalidRequest");
        }
        DnsRecord target = new DnsRecord(r.dns().name(), r.dns().type(), r.dns().ttl(), r.values());
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            DnsChange change = dns.with(r.dns(), p -> p.upsert(r.dns().zone(), target, r.note(), () -> hb.beat(null)));
            return new DnsOutcome(value(target), change.changed(), change.changeId(), attempt());
        }
    }

    @Override
    public DnsOutcome restoreDns(DnsRequest r) {
        DnsRecord previous = r.previous() == null
                ? null
                : new DnsRecord(r.previous().name(), r.previous().type(),
                        r.previous().ttl(), r.previous().values());
        try (HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            DnsChange change = dns.with(r.dns(), p -> p.restore(r.dns().zone(), previous, r.dns().name(),
                    r.dns().type(), r.note(), () -> hb.beat(null)));
            return new DnsOutcome(r.previous(), change.changed(), change.changeId(), attempt());
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    /** A step on the provider; {@code beat} heartbeats (a ticker also does, every second, while it blocks). */
    @FunctionalInterface
    private interface ProviderCall<T> {
        T apply(ComputeProvider p, Runnable beat) throws IOException;
    }

    /**
     * Opens the recovery's provider, runs {@code call} while heartbeating (commands, copies and waits block for
     * minutes against a 10 s heartbeat timeout), and turns what it throws into the activity's failure.
     */
    private <T> T withProvider(SiteTarget t, String what, ProviderCall<T> call) {
        try (ComputeProvider p = compute.open(t.provider(), t.site());
                HeartbeatTicker hb = HeartbeatTicker.forCurrentActivity()) {
            return call.apply(p, () -> hb.beat(null));
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(what + ": " + e.getMessage()),
                    "InvalidRequest");
        } catch (UnsafeArchiveException e) {
            // an archive entry that is unsafe or that no file system holds: the same on every attempt
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(what + ": " + e.getMessage()),
                    "UnrestorableBackup");
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded(what + ": " + e.getMessage()), "ProviderError");
        } catch (UncheckedIOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded(what + ": " + e.getCause().getMessage()),
                    "ProviderError");
        }
    }

    private static Map<String, String> readEnv(ComputeProvider p, SiteTarget t) throws IOException {
        try {
            byte[] bytes = p.readFile(t.server().id(), t.site().envFile(), 1 << 20);
            try {
                return SecretsEnvironment.parse(bytes);
            } finally {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        } catch (java.nio.file.NoSuchFileException none) {
            return Map.of();
        }
    }

    private static Path hostPath(ComputeProvider p, SiteTarget t, String serverPath) {
        if (p instanceof io.romadr.activities.compute.DockerHostCompute docker) {
            return docker.hostPath(t.server().id(), serverPath);
        }
        throw new IllegalArgumentException("only the docker provider maps server paths to this host");
    }

    private static SiteServer site(Server s) {
        String name = s.tags().getOrDefault("Name", "");
        String shortId = s.id().length() == 64 ? s.id().substring(0, 12) : s.id();
        return new SiteServer(s.provider(), s.id(), name.isBlank() ? shortId : name, s.address(), s.state(),
                attempt());
    }

    /** Which attempt of the current activity this is (2 or more: an earlier one failed or died with its worker). */
    private static int attempt() {
        return Activity.getExecutionContext().getInfo().getAttempt();
    }

    private static DnsValue value(DnsRecord r) {
        return r == null ? null : new DnsValue(r.name(), r.type(), r.ttl(), r.values());
    }

    private Path temp(String prefix, String suffix) throws IOException {
        Path dir = workRoot.resolve("tmp");
        Files.createDirectories(dir);
        return Files.createTempFile(dir, prefix, suffix);
    }
}
