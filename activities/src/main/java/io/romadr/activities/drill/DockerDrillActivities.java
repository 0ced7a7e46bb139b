package io.romadr.activities.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerRemoval;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillActivities;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drill's own work on a Docker engine: documents the plan's containers, newest backups and git tips, breaks a compose
 * service's container (kill, stop or remove), and checks the recovery independently of the scenario's workflow (the
 * plan's health checks through Scenario 1's check, and the same image as before). Every method looks before it acts,
 * so a retry after a worker crash never injects a fault twice.
 */
public final class DockerDrillActivities implements DrillActivities {
    public static final String NO_SUCH_SERVICE = "DrillTargetMissing";

    private final DockerClient docker;
    private final ComposeContainerFinder finder;
    private final ServiceActivities service;
    private final BackupActivities backups;
    private final GitRecoveryActivities git;

    /**
     * @param service Scenario 1's activities, whose {@code check} runs the plan's health checks
     * @param backups lists the plan's backups; null: the state before says backups were not looked at
     * @param git     probes the plan's git remotes (their branch tips); null: they are not looked at
     */
    public DockerDrillActivities(DockerClient docker, ServiceActivities service, BackupActivities backups,
            GitRecoveryActivities git) {
        this.docker = docker;
        this.finder = new ComposeContainerFinder(docker);
        this.service = service;
        this.backups = backups;
        this.git = git;
    }

    @Override
    public DrillState documentState(RecoveryPlan plan) {
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
                InspectContainerResponse i = inspect(c.getId());
                if (i == null) {
                    lines.add("container of " + name + ": missing");
                    continue;
                }
                lines.add("container " + bare(i.getName()) + " (" + name + "): " + i.getState().getStatus()
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
        return new DrillState(lines, images);
    }

    private String newestBackup(RecoveryPlan plan, BackupKind kind, long now) {
        try {
            BackupManifest newest = backups.listBackups(new ListBackupsRequest(plan.backup().store(), plan.name(),
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
        String project = request.service().composeProject();
        List<Container> found = finder.current(project, request.target());
        List<String> done = new ArrayList<>();
        List<String> already = new ArrayList<>();
        boolean downBefore = false;
        for (Container c : found) {
            InspectContainerResponse i = inspect(c.getId());
            if (i == null) {
                continue;
            }
            String name = bare(i.getName());
            boolean running = Boolean.TRUE.equals(i.getState().getRunning());
            switch (request.fault()) {
                case "kill" -> {
                    if (running) {
                        kill(i.getId());
                        done.add("killed " + name + " (SIGKILL)");
                    } else {
                        downBefore |= !stoppedByThisDrill(i, request.since());
                        already.add(stoppedAlready(name, i, request.since()));
                    }
                }
                case "stop" -> {
                    if (running) {
                        stop(i.getId());
                        done.add("stopped " + name);
                    } else {
                        downBefore |= !stoppedByThisDrill(i, request.since());
                        already.add(stoppedAlready(name, i, request.since()));
                    }
                }
                case "remove" -> {
                    ContainerRemoval.force(docker, i.getId(), false);
                    done.add("removed " + name);
                }
                default -> throw ApplicationFailure.newNonRetryableFailure("unknown fault \"" + request.fault()
                        + "\" (kill, stop or remove)", IllegalArgumentException.class.getName());
            }
        }
        if (done.isEmpty() && already.isEmpty()) {
            if (request.fault().equals("remove")) {
                // An earlier call removed it and its worker died before it could say so (the state before the
                // drill says whether it existed then).
                return new FaultResult(false, false, "no container of " + request.target() + " in " + project
                        + ": removed already", attempt);
            }
            throw ApplicationFailure.newNonRetryableFailure("no container of service " + request.target()
                    + " in compose project " + project + " to " + request.fault(), NO_SUCH_SERVICE);
        }
        List<String> all = new ArrayList<>(done);
        all.addAll(already);
        return new FaultResult(!done.isEmpty(), done.isEmpty() && downBefore, String.join("; ", all), attempt);
    }

    /** A container that does not run: stopped by an earlier attempt of this drill, or already before it. */
    private static String stoppedAlready(String name, InspectContainerResponse i, long since) {
        return stoppedByThisDrill(i, since)
                ? name + " already down since " + i.getState().getFinishedAt() + " (an earlier attempt)"
                : name + " was already down before the drill (" + i.getState().getStatus() + ")";
    }

    private static boolean stoppedByThisDrill(InspectContainerResponse i, long since) {
        Instant finished = parse(i.getState().getFinishedAt());
        return finished != null && finished.toEpochMilli() >= since;
    }

    @Override
    public DrillVerification verifyRecovered(VerifyRecoveredRequest request) {
        ServiceSpec spec = request.service();
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<HealthCheck> all = new ArrayList<>(spec.healthChecks());
        all.addAll(spec.smoke());
        HealthResult health = service.check(HealthRequest.once(spec.composeProject(), all));
        for (CheckResult c : health.checks()) {
            String line = "health check " + c.name() + ": " + (c.ok() ? "ok" : c.detail());
            checks.add(line);
            if (!c.ok()) {
                problems.add(line);
            }
        }
        for (String name : spec.serviceNames()) {
            Container running = finder.current(spec.composeProject(), name).stream()
                    .filter(c -> "running".equals(c.getState())).findFirst().orElse(null);
            String before = request.imageDigests().get(name);
            String line;
            boolean ok;
            if (running == null) {
                line = "no running container of " + name;
                ok = false;
            } else if (before == null) {
                line = name + " running image " + running.getImageId() + " (no image recorded before)";
                ok = true;
            } else {
                ok = before.equals(running.getImageId());
                line = name + " running image " + running.getImageId() + (ok ? " as before" : ", before " + before);
            }
            checks.add(line);
            if (!ok) {
                problems.add(line);
            }
        }
        return new DrillVerification(problems.isEmpty(), checks, problems);
    }

    private InspectContainerResponse inspect(String id) {
        try {
            return docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    private void kill(String id) {
        try {
            docker.killContainerCmd(id).exec();
        } catch (ConflictException | NotModifiedException e) {
            // stopped between the look and the kill: down either way
        }
    }

    private void stop(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(10).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    private static String bare(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static Instant parse(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
