package io.romadr.activities.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.backup.ArtifactFiles;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerRemoval;
import io.romadr.activities.git.BranchRewind;
import io.romadr.activities.site.ComputeProviders;
import io.romadr.activities.site.DnsProviders;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.ListDrillReportsRequest;
import io.romadr.scenario.drill.StoreDrillReportRequest;
import io.romadr.scenario.drill.StoredDrillReport;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitProbeRequest;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drill's own work: documents the plan's containers, newest backups and git tips, then hands the scenario's part
 * (what else to document, the fault, the independent verification) to that scenario's {@link ScenarioFaults}. Every
 * method looks before it acts, so a retry after a worker crash never injects a fault twice.
 */
public final class DockerDrillActivities implements DrillActivities {
    public static final String NO_SUCH_SERVICE = "DrillTargetMissing";
    public static final String NO_SUCH_SCENARIO = "DrillScenarioUnknown";
    public static final String NO_REPORT_STORE = "DrillReportStoreMissing";
    public static final String REPORT_STORE_IO = "DrillReportStoreIO";

    private final ComposeContainerFinder finder;
    private final BackupActivities backups;
    private final GitRecoveryActivities git;
    private final DrillReportStore reports;
    /** Scenario id to its drill's faults and checks. */
    private final Map<String, ScenarioFaults> injectors;

    /**
     * @param backups   lists the plan's backups; null: the state before says backups were not looked at
     * @param git       probes the plan's git remotes (their branch tips); null: they are not looked at
     * @param reports   keeps the drill reports in the plans' backup stores; null: this worker keeps none (storing
     *                  or listing one fails, non-retryable)
     * @param scenarios the drills this worker can run, one per scenario ({@link #onDocker} for all four)
     */
    public DockerDrillActivities(DockerClient docker, BackupActivities backups, GitRecoveryActivities git,
            DrillReportStore reports, List<ScenarioFaults> scenarios) {
        this.reports = reports;
        this.finder = new ComposeContainerFinder(docker);
        this.backups = backups;
        this.git = git;
        Map<String, ScenarioFaults> byId = new LinkedHashMap<>();
        scenarios.forEach(f -> byId.put(f.scenario(), f));
        this.injectors = Map.copyOf(byId);
    }

    /**
     * The four scenarios' drills on this Docker engine.
     *
     * @param service   Scenario 1's activities, whose {@code check} runs the plan's health checks
     * @param artifacts reads and corrupts the plan's artifacts (Scenario 2's drill)
     * @param compute   opens the docker compute provider (Scenario 3's servers on this engine)
     * @param dns       reads the plan's {@code site.dns} record
     * @param rewind    force-pushes the git primary's branch back to its root commit (Scenario 4's drill)
     */
    public static List<ScenarioFaults> onDocker(DockerClient docker, ServiceActivities service,
            ArtifactFiles artifacts, ComputeProviders compute, DnsProviders dns, GitRecoveryActivities git,
            BranchRewind rewind) {
        return List.of(new ServiceFaults(docker, service), new ArtifactFaults(artifacts),
                new SiteFaults(docker, service, compute, dns), new GitFaults(git, rewind));
    }

    @Override
    public DrillState documentState(DocumentStateRequest request) {
        RecoveryPlan plan = request.plan();
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        List<String> lines = new ArrayList<>();
        Map<String, String> images = new LinkedHashMap<>();
        ServiceSpec spec = plan.service();
        for (String name : spec.serviceNames()) {
            List<Container> found = finder.current(spec.composeProject(), name);
            if (found.isEmpty()) {
                lines.add("container of " + name + ": missing");
            }
            for (Container c : found) {
                InspectContainerResponse i = finder.inspect(c.getId());
                if (i == null) {
                    lines.add("container of " + name + ": missing");
                    continue;
                }
                lines.add("container " + ComposeContainerFinder.bare(i.getName()) + " (" + name + "): "
                        + i.getState().getStatus()
                        + ", image " + i.getConfig().getImage() + " " + i.getImageId());
                images.putIfAbsent(name, i.getImageId());
            }
            ctx.heartbeat(name);
        }
        if (plan.backup() == null) {
            lines.add("backups: the plan has no backup section");
        } else if (backups == null) {
            lines.add("backups: not looked at (no backup activities on this worker)");
        } else {
            long now = System.currentTimeMillis();
            for (BackupKind kind : BackupKind.values()) {
                lines.add(newestBackup(plan, kind, now));
                ctx.heartbeat(kind.id());
            }
        }
        if (plan.backup() != null && plan.backup().git() != null) {
            List<GitRemote> remotes = new ArrayList<>();
            remotes.add(plan.backup().git().primary());
            remotes.addAll(plan.backup().git().backups());
            for (GitRemote remote : remotes) {
                lines.add(gitTips(plan, remote));
                ctx.heartbeat(remote.name());
            }
        }
        Map<String, String> fingerprints = new LinkedHashMap<>();
        faults(request.scenario()).document(plan, lines, fingerprints);
        return new DrillState(lines, images, fingerprints);
    }

    private String newestBackup(RecoveryPlan plan, BackupKind kind, long now) {
        try {
            BackupManifest newest = backups.listBackups(new ListBackupsRequest(kind.storeIn(plan.backup()), plan.name(),
                    kind)).stream().max(Comparator.comparingLong(BackupManifest::createdAt)).orElse(null);
            return newest == null
                    ? "newest " + kind.id() + " backup: none"
                    : "newest " + kind.id() + " backup: " + newest.objectKey() + ", "
                            + ReportFormatter.clock(Math.max(0, now - newest.createdAt())) + " old";
        } catch (RuntimeException e) {
            return "newest " + kind.id() + " backup: could not list: "
                    + FailureMessages.bounded(String.valueOf(e.getMessage()));
        }
    }

    /** "git origin (url): refs/heads/main 1a2b3c4d, ..." with the remote's branch tips. */
    private String gitTips(RecoveryPlan plan, GitRemote remote) {
        String head = "git " + remote.name() + " (" + remote.displayUrl() + "): ";
        if (git == null) {
            return head + "not looked at (no git activities on this worker)";
        }
        try {
            GitProbe probe = git.probeRemote(new GitProbeRequest(plan.name(), remote));
            if (!probe.reachable()) {
                return head + "unreachable: " + probe.problem();
            }
            List<String> tips = probe.refs().entrySet().stream().filter(e -> e.getKey().startsWith("refs/heads/"))
                    .map(e -> e.getKey().substring("refs/heads/".length()) + " "
                            + e.getValue().substring(0, Math.min(12, e.getValue().length())))
                    .toList();
            return head + (tips.isEmpty()
                    ? "no branches"
                    : String.join(", ", tips.subList(0, Math.min(10,
                            tips.size()))) + (tips.size() > 10 ? " and " + (tips.size() - 10) + " more" : ""))
                    + ", " + probe.refs().size() + " ref(s)";
        } catch (RuntimeException e) {
            return head + "could not probe: " + FailureMessages.bounded(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public FaultResult injectFault(FaultRequest request) {
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        return faults(request.scenario()).inject(request, attempt);
    }

    @Override
    public DrillVerification verifyRecovered(VerifyRecoveredRequest request) {
        return faults(request.scenario()).verify(request);
    }

    @Override
    public StoredDrillReport storeReport(StoreDrillReportRequest request) {
        return withReports("storing the report of drill " + request.report().workflowId() + " in "
                + request.store().uri(), r -> r.store(request.store(), request.report()));
    }

    @Override
    public DrillCatalog listReports(ListDrillReportsRequest request) {
        return withReports("listing the drill reports of plan " + request.plan() + " in " + request.store().uri(),
                r -> r.list(request.store(), request.plan()));
    }

    private interface ReportCall<T> {
        T call(DrillReportStore reports) throws IOException;
    }

    /**
     * Runs {@code call} on the report store: an unreachable store is worth retrying, a store URI this worker cannot
     * open is not. Messages are bounded (they quote keys and the store's error).
     */
    private <T> T withReports(String what, ReportCall<T> call) {
        if (reports == null) {
            throw ApplicationFailure.newNonRetryableFailure(what + ": this worker keeps no drill reports",
                    NO_REPORT_STORE);
        }
        try {
            return call.call(reports);
        } catch (IOException | UncheckedIOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded(what + " failed: " + e.getMessage()),
                    REPORT_STORE_IO);
        } catch (IllegalArgumentException e) {
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(what + " failed: "
                    + e.getMessage()), NO_REPORT_STORE);
        }
    }

    private ScenarioFaults faults(String scenario) {
        ScenarioFaults f = injectors.get(scenario);
        if (f == null) {
            throw ApplicationFailure.newNonRetryableFailure("this worker cannot drill scenario \"" + scenario
                    + "\" (it can: " + injectors.keySet().stream().sorted().toList() + ")", NO_SUCH_SCENARIO);
        }
        return f;
    }

}
