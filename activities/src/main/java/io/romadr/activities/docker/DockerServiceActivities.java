package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.plan.CommandStepRunner;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.Assessment;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.ContainerStatus;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.RecreateRequest;
import io.romadr.scenario.servicefailure.RestartRequest;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Scenario 1 on a Docker engine. The service's containers are found by the compose labels
 * {@code com.docker.compose.project} and {@code com.docker.compose.service}, so this works for real compose projects
 * and for containers created with those labels. Every method checks the state before it acts, so a retry after a
 * worker crash finishes the job instead of doing it twice; blocking engine calls run on a helper thread while the
 * activity thread heartbeats about every second.
 */
public class DockerServiceActivities implements ServiceActivities {
    public static final String LABEL_PROJECT = "com.docker.compose.project";
    public static final String LABEL_SERVICE = "com.docker.compose.service";
    public static final String LABEL_RECOVERY_KEY = "io.romadr.scenario.servicefailure-key";
    /** Suffix of the name a container gets while it is being replaced; it keeps the configuration for a retry. */
    public static final String OLD_SUFFIX = "-romadr-old";
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    private final DockerClient docker;
    private final CommandStepRunner steps;
    private final EngineCalls calls;
    private final ComposeContainers containers;
    private final ContainerRecreator recreator;
    private final ServiceChecks checks;
    private final EngineFacts engineFacts;

    public DockerServiceActivities(DockerClient docker, HttpProbe http, HostCommandRunner commands) {
        this.docker = docker;
        this.steps = new CommandStepRunner(commands);
        this.calls = new EngineCalls();
        this.containers = new ComposeContainers(docker, calls);
        this.recreator = new ContainerRecreator(docker, containers, calls);
        this.checks = new ServiceChecks(docker, http, containers, calls);
        this.engineFacts = new EngineFacts(docker, calls, System::nanoTime);
        engineFacts.prefetch();
    }

    // ---- assess ----------------------------------------------------------------------------------------------------

    @Override
    public Assessment assess(ServiceSpec spec) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = EngineCalls.attempt(ctx);
        // Every look only reads, so all go to the engine at once (whether it answers, each service's containers,
        // and its version and root directory unless read within the last minute): the assessment takes as long as
        // its slowest look, not the sum of them all.
        Future<Void> ping = calls.submit(() -> {
            docker.pingCmd().exec();
            return null;
        });
        Future<EngineFacts.Facts> facts = engineFacts.get();
        List<Future<ServiceLook>> looks = new ArrayList<>();
        for (String service : spec.serviceNames()) {
            looks.add(calls.submit(() -> look(spec, service)));
        }
        try {
            EngineCalls.await(ctx, "ping", ping);
        } catch (RuntimeException e) {
            facts.cancel(true);
            looks.forEach(f -> f.cancel(true));
            long[] disk = disk(null);
            return new Assessment(false, "", disk[0], disk[1], List.of(), List.of(), attempt);
        }
        EngineFacts.Facts engine = null;
        try {
            engine = EngineCalls.await(ctx, "info", facts);
        } catch (RuntimeException e) {
            // keep the worker's filesystem as the fallback, and no version
        }
        String engineVersion = engine == null ? "" : engine.version();
        long[] disk = disk(engine == null ? null : engine.rootDir());
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int s = 0; s < looks.size(); s++) {
            ServiceLook look = EngineCalls.await(ctx, "containers", looks.get(s));
            statuses.addAll(look.statuses());
            if (look.missing()) {
                missing.add(spec.serviceNames().get(s));
            }
        }
        return new Assessment(true, engineVersion, disk[0], disk[1], statuses, missing, attempt);
    }

    /** One service's containers as assess sees them; {@code missing} when one is gone or there is none. */
    private record ServiceLook(List<ContainerStatus> statuses, boolean missing) {
    }

    /** Runs on a helper thread: lists the service's containers, then reads each one's state and log tail at once. */
    private ServiceLook look(ServiceSpec spec, String service) throws Exception {
        List<Container> found = containers.current(spec.composeProject(), service);
        if (found.isEmpty()) {
            return new ServiceLook(List.of(), true);
        }
        List<Future<String>> logs = new ArrayList<>();
        for (Container c : found) {
            logs.add(calls.submit(() -> containers.logTail(c.getId(), spec.logTailLines())));
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        boolean missing = false;
        for (int n = 0; n < found.size(); n++) {
            InspectContainerResponse i = containers.inspect(found.get(n).getId()).orElse(null);
            if (i == null) {
                logs.get(n).cancel(true);
                missing = true;
                continue;
            }
            InspectContainerResponse.ContainerState st = i.getState();
            String health = st.getHealth() == null || st.getHealth().getStatus() == null
                    ? ""
                    : st.getHealth().getStatus();
            statuses.add(new ContainerStatus(service, ComposeContainers.shortId(i.getId()),
                    ComposeContainers.bare(i.getName()),
                    st.getStatus(), health, st.getExitCodeLong() == null ? 0 : st.getExitCodeLong().intValue(),
                    i.getRestartCount() == null ? 0 : i.getRestartCount(), logs.get(n).get()));
        }
        return new ServiceLook(statuses, missing);
    }

    /** Free and total bytes of the Docker root dir's filesystem, else of the worker's working directory. */
    static long[] disk(String dockerRootDir) {
        List<Path> candidates = new ArrayList<>();
        if (dockerRootDir != null && !dockerRootDir.isBlank()) {
            candidates.add(Path.of(dockerRootDir));
        }
        candidates.add(Path.of(System.getProperty("user.dir", "/")));
        candidates.add(Path.of("/"));
        for (Path p : candidates) {
            try {
                if (Files.exists(p)) {
                    FileStore fs = Files.getFileStore(p);
                    return new long[]{fs.getUsableSpace(), fs.getTotalSpace()};
                }
            } catch (IOException | SecurityException e) {
                // next candidate
            }
        }
        return new long[]{0, 0};
    }

    // ---- restart -------------------------------------------------------------------------------------------------

    @Override
    public ActionResult restart(RestartRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = EngineCalls.attempt(ctx);
        // The step's own start when the workflow calls it again after a lost worker, else this activity's.
        long firstScheduled = request.since() > 0 ? request.since() : ctx.getInfo().getScheduledTimestamp();
        ServiceSpec spec = request.service();
        int timeout = EngineCalls.seconds(request.stopTimeout());
        List<String> restarted = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String service : request.targets()) {
            List<Container> found = containers.current(spec.composeProject(), service);
            if (found.isEmpty()) {
                missing.add(service);
            }
            for (Container c : found) {
                String name = ComposeContainers.name(c);
                // Only a running container can have been restarted by an earlier attempt; its start time tells. One
                // the listing shows stopped is restarted without another look (one engine call less on the way
                // to healthy).
                if ("running".equals(c.getState())) {
                    InspectContainerResponse i = containers.inspect(c.getId()).orElse(null);
                    if (i == null) {
                        missing.add(service);
                        continue;
                    }
                    Instant started = ComposeContainers.parseTime(i.getState().getStartedAt());
                    if (Boolean.TRUE.equals(i.getState().getRunning()) && started != null
                            && started.toEpochMilli() > firstScheduled) {
                        already.add(name);
                        continue;
                    }
                }
                try {
                    calls.blocking(ctx, restarted, () -> {
                        docker.restartContainerCmd(c.getId()).withTimeout(timeout).exec();
                        return null;
                    });
                } catch (NotFoundException e) {
                    missing.add(service); // removed since the listing
                    continue;
                }
                restarted.add(name);
                ctx.heartbeat(List.copyOf(restarted));
            }
        }
        StringBuilder detail = new StringBuilder();
        if (!restarted.isEmpty()) {
            detail.append("restarted ").append(String.join(", ", restarted));
        }
        if (!already.isEmpty()) {
            append(detail, "already restarted by an earlier attempt: " + String.join(", ", already));
        }
        if (!missing.isEmpty()) {
            append(detail, "no container for " + String.join(", ", missing));
        }
        if (detail.length() == 0) {
            detail.append("nothing to restart");
        }
        return new ActionResult(!restarted.isEmpty(), detail.toString(), attempt);
    }

    // ---- recreate ------------------------------------------------------------------------------------------------

    @Override
    public ActionResult recreate(RecreateRequest request) {
        return recreator.recreate(Activity.getExecutionContext(), request);
    }

    // ---- runCommand ------------------------------------------------------------------------------------------------

    @Override
    public ActionResult runCommand(CommandStep step) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = EngineCalls.attempt(ctx);
        CommandStepRunner.Completed done = steps.run(step, "step", () -> ctx.heartbeat(step.name()));
        return new ActionResult(true, step.name() + ": exit 0 in " + done.millis() + " ms; output tail:\n"
                + done.outputTail(), attempt);
    }

    // ---- health ----------------------------------------------------------------------------------------------------

    @Override
    public HealthResult waitHealthy(HealthRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = EngineCalls.attempt(ctx);
        // A retried attempt keeps the first attempt's start, so retries do not stretch the wait.
        long startedAt = ctx.getHeartbeatDetails(Long.class).orElse(System.currentTimeMillis());
        Deadline deadline = deadline(startedAt, request.within());
        Duration poll = pollInterval(request);
        int probes = 0;
        while (true) {
            List<CheckResult> results = checks.runChecks(ctx, startedAt, request);
            probes++;
            boolean healthy = results.stream().allMatch(CheckResult::ok);
            if (healthy || deadline.left().compareTo(poll) < 0) {
                long waited = System.currentTimeMillis() - startedAt;
                return new HealthResult(healthy, results, probes, Math.max(0, waited), attempt);
            }
            pause(ctx, startedAt, poll);
        }
    }

    @Override
    public HealthResult check(HealthRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        long start = System.currentTimeMillis();
        List<CheckResult> results = checks.runChecks(ctx, start, request);
        return new HealthResult(results.stream().allMatch(CheckResult::ok), results, 1,
                System.currentTimeMillis() - start, EngineCalls.attempt(ctx));
    }

    /** Heartbeat details of a watch: when its window began and the probes so far, so a retry resumes there. */
    public record WatchProgress(long startedAt, int probes) {
    }

    /**
     * The watch window in one activity: a round of the checks every {@code pollInterval} until {@code within} is
     * spent (healthy) or a round fails (a relapse). A retried attempt resumes the window and the probe count from
     * the heartbeat details, so a dead worker neither restarts nor stretches the watch.
     */
    @Override
    public HealthResult watch(HealthRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = EngineCalls.attempt(ctx);
        WatchProgress progress = ctx.getHeartbeatDetails(WatchProgress.class)
                .orElse(new WatchProgress(System.currentTimeMillis(), 0));
        Deadline deadline = deadline(progress.startedAt(), request.within());
        Duration poll = pollInterval(request);
        HealthRequest once = HealthRequest.once(request.composeProject(), request.checks());
        List<CheckResult> last = List.of();
        // A retry whose window ran out while no worker watched (its worker died late in the window) still looks
        // once before it answers, so "healthy" always rests on a probe of this attempt.
        boolean looked = false;
        while (!deadline.passed() || !looked) {
            if (!deadline.passed()) {
                pause(ctx, progress, deadline.next(poll));
            }
            last = checks.runChecks(ctx, progress, once);
            looked = true;
            progress = new WatchProgress(progress.startedAt(), progress.probes() + 1);
            ctx.heartbeat(progress);
            if (!last.stream().allMatch(CheckResult::ok)) {
                return new HealthResult(false, last, progress.probes(),
                        System.currentTimeMillis() - progress.startedAt(), attempt);
            }
        }
        return new HealthResult(true, last, progress.probes(), System.currentTimeMillis() - progress.startedAt(),
                attempt);
    }

    /**
     * The end of a window that began at {@code startedAt} (wall-clock milliseconds: the start is kept in heartbeat
     * details, so a retry on another worker continues the first attempt's window).
     */
    private static Deadline deadline(long startedAt, Duration within) {
        return Deadline.after(Duration.ofMillis(startedAt + within.toMillis() - System.currentTimeMillis()));
    }

    private static Duration pollInterval(HealthRequest request) {
        return Duration.ofMillis(Math.max(100, request.pollInterval().toMillis()));
    }

    /** Waits {@code wait}, heartbeating {@code details} about every second. */
    private static void pause(ActivityExecutionContext ctx, Object details, Duration wait) {
        Deadline until = Deadline.after(wait);
        while (!until.passed()) {
            ctx.heartbeat(details);
            try {
                Deadline.pause(until.next(HEARTBEAT_INTERVAL));
            } catch (InterruptedIOException e) {
                throw ApplicationFailure.newFailure("interrupted while waiting", "Interrupted");
            }
        }
    }

    private static void append(StringBuilder sb, String text) {
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(text);
    }
}
