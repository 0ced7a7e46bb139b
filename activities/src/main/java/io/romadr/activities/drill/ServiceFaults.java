package io.romadr.activities.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerRemoval;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 1's drill on a Docker engine: breaks a compose service's container (kill, stop or remove) and checks the
 * recovery independently of the scenario's workflow: the plan's health checks through Scenario 1's check, and the
 * same image as before.
 */
public final class ServiceFaults implements ScenarioFaults {
    private final DockerClient docker;
    private final ComposeContainerFinder finder;
    private final ServiceActivities service;

    /** @param service Scenario 1's activities, whose {@code check} runs the plan's health checks */
    public ServiceFaults(DockerClient docker, ServiceActivities service) {
        this.docker = docker;
        this.finder = new ComposeContainerFinder(docker);
        this.service = service;
    }

    @Override
    public String scenario() {
        return "service-failure";
    }

    @Override
    public void document(RecoveryPlan plan, List<String> lines, Map<String, String> fingerprints) {
        // The containers and their images are documented for every scenario (DockerDrillActivities).
    }

    @Override
    public FaultResult inject(FaultRequest request, int attempt) {
        String project = request.plan().service().composeProject();
        List<Container> found = finder.current(project, request.target());
        List<String> done = new ArrayList<>();
        List<String> already = new ArrayList<>();
        boolean downBefore = false;
        for (Container c : found) {
            InspectContainerResponse i = finder.inspect(c.getId());
            if (i == null) {
                continue;
            }
            String name = ComposeContainerFinder.bare(i.getName());
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
                    + " in compose project " + project + " to " + request.fault(),
                    DockerDrillActivities.NO_SUCH_SERVICE);
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
    public DrillVerification verify(VerifyRecoveredRequest request) {
        ServiceSpec spec = request.plan().service();
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        checkHealth(service, spec, checks, problems);
        for (String name : spec.serviceNames()) {
            Container running = finder.current(spec.composeProject(), name).stream()
                    .filter(c -> "running".equals(c.getState())).findFirst().orElse(null);
            String before = request.before().imageDigests().get(name);
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
        return new DrillVerification(problems.isEmpty(), checks, problems, "");
    }

    /** The plan's health checks and smoke tests, once, through Scenario 1's check: one line each, failed ones twice. */
    static void checkHealth(ServiceActivities service, ServiceSpec spec, List<String> checks, List<String> problems) {
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
