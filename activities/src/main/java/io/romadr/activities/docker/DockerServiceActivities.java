package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.ExecCheck;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.recovery.ActionResult;
import io.romadr.recovery.Assessment;
import io.romadr.recovery.CheckResult;
import io.romadr.recovery.ContainerStatus;
import io.romadr.recovery.HealthRequest;
import io.romadr.recovery.HealthResult;
import io.romadr.recovery.RecreateRequest;
import io.romadr.recovery.RestartRequest;
import io.romadr.recovery.ServiceActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    public static final String LABEL_RECOVERY_KEY = "io.romadr.recovery-key";
    /** Suffix of the name a container gets while it is being replaced; it keeps the configuration for a retry. */
    public static final String OLD_SUFFIX = "-romadr-old";
    static final int LOG_TAIL_CHARS = 4096;
    static final int CHECK_OUTPUT_CHARS = 1024;

    private static final Pattern PORT =
            Pattern.compile("(?:([0-9a-fA-F.:\\[\\]]+):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");

    private final DockerClient docker;
    private final HttpProbe http;
    private final HostCommandRunner commands;
    private final ExecutorService pool;

    public DockerServiceActivities(DockerClient docker, HttpProbe http, HostCommandRunner commands) {
        this.docker = docker;
        this.http = http;
        this.commands = commands;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "docker-activity-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    // ---- assess ----------------------------------------------------------------------------------------------------

    @Override
    public Assessment assess(ServiceSpec spec) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = attempt(ctx);
        String version;
        try {
            version = blocking(ctx, "version", () -> docker.versionCmd().exec().getVersion());
        } catch (RuntimeException e) {
            long[] disk = disk(null);
            return new Assessment(false, "", disk[0], disk[1], List.of(), List.of(), attempt);
        }
        String rootDir = null;
        try {
            rootDir = blocking(ctx, "info", () -> docker.infoCmd().exec().getDockerRootDir());
        } catch (RuntimeException e) {
            // keep the worker's filesystem as the fallback
        }
        long[] disk = disk(rootDir);
        List<ContainerStatus> statuses = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String service : spec.serviceNames()) {
            List<Container> containers = current(spec.composeProject(), service);
            if (containers.isEmpty()) {
                missing.add(service);
                continue;
            }
            for (Container c : containers) {
                InspectContainerResponse i = inspect(c.getId()).orElse(null);
                if (i == null) {
                    missing.add(service);
                    continue;
                }
                InspectContainerResponse.ContainerState st = i.getState();
                String health = st.getHealth() == null || st.getHealth().getStatus() == null ? ""
                        : st.getHealth().getStatus();
                statuses.add(new ContainerStatus(service, shortId(i.getId()), bare(i.getName()),
                        st.getStatus(), health, st.getExitCodeLong() == null ? 0 : st.getExitCodeLong().intValue(),
                        i.getRestartCount() == null ? 0 : i.getRestartCount(),
                        logTail(ctx, i.getId(), spec.logTailLines())));
            }
        }
        return new Assessment(true, version == null ? "" : version, disk[0], disk[1], statuses, missing, attempt);
    }

    private String logTail(ActivityExecutionContext ctx, String id, int lines) {
        if (lines <= 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try {
            blocking(ctx, "logs", () -> {
                docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                        .exec(new ResultCallback.Adapter<Frame>() {
                            @Override
                            public void onNext(Frame frame) {
                                synchronized (sb) {
                                    sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                                }
                            }
                        }).awaitCompletion(20, TimeUnit.SECONDS);
                return null;
            });
        } catch (RuntimeException e) {
            return "(logs unavailable: " + e.getClass().getSimpleName() + ")";
        }
        synchronized (sb) {
            return LogRedactor.redactTail(sb.toString(), LOG_TAIL_CHARS);
        }
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
                    return new long[] {fs.getUsableSpace(), fs.getTotalSpace()};
                }
            } catch (IOException | SecurityException e) {
                // next candidate
            }
        }
        return new long[] {0, 0};
    }

    // ---- restart -------------------------------------------------------------------------------------------------

    @Override
    public ActionResult restart(RestartRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = attempt(ctx);
        long firstScheduled = ctx.getInfo().getScheduledTimestamp();
        ServiceSpec spec = request.service();
        int timeout = seconds(request.stopTimeout());
        List<String> restarted = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String service : request.targets()) {
            List<Container> containers = current(spec.composeProject(), service);
            if (containers.isEmpty()) {
                missing.add(service);
            }
            for (Container c : containers) {
                InspectContainerResponse i = inspect(c.getId()).orElse(null);
                if (i == null) {
                    missing.add(service);
                    continue;
                }
                String name = bare(i.getName());
                Instant started = parseTime(i.getState().getStartedAt());
                if (Boolean.TRUE.equals(i.getState().getRunning()) && started != null
                        && started.toEpochMilli() > firstScheduled) {
                    already.add(name);
                    continue;
                }
                blocking(ctx, restarted, () -> {
                    docker.restartContainerCmd(i.getId()).withTimeout(timeout).exec();
                    return null;
                });
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
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = attempt(ctx);
        ServiceSpec spec = request.service();
        String project = spec.composeProject();
        String key = request.recoveryKey();
        int stopTimeout = seconds(request.stopTimeout());

        // Validate before touching anything: a gone container with no template cannot be brought back.
        Map<ServiceContainer, List<Container>> found = new LinkedHashMap<>();
        for (ServiceContainer sc : spec.containers()) {
            if (!request.targets().contains(sc.service())) {
                continue;
            }
            List<Container> all = all(project, sc.service());
            if (all.isEmpty() && sc.template() == null) {
                throw ApplicationFailure.newNonRetryableFailure("container for service " + sc.service()
                        + " is gone and the plan has no template for it", "NoTemplate");
            }
            found.put(sc, all);
        }

        List<String> done = new ArrayList<>();
        boolean changed = false;
        for (Map.Entry<ServiceContainer, List<Container>> e : found.entrySet()) {
            ServiceContainer sc = e.getKey();
            if (e.getValue().isEmpty()) {
                String name = project + "-" + sc.service() + "-1";
                requireImage(sc.template().image(), sc.service());
                String id = blocking(ctx, done, () -> createFromTemplate(project, sc.service(), name,
                        sc.template(), key));
                start(ctx, done, id);
                changed = true;
                done.add(name + " created from the plan's template");
                ctx.heartbeat(List.copyOf(done));
                continue;
            }
            Map<String, Slot> slots = new LinkedHashMap<>();
            for (Container c : e.getValue()) {
                String n = name(c);
                if (n.endsWith(OLD_SUFFIX)) {
                    slots.computeIfAbsent(n.substring(0, n.length() - OLD_SUFFIX.length()), k -> new Slot()).old = c;
                } else {
                    slots.computeIfAbsent(n, k -> new Slot()).current = c;
                }
            }
            for (Map.Entry<String, Slot> s : slots.entrySet()) {
                String name = s.getKey();
                Slot slot = s.getValue();
                if (slot.current != null && key.equals(label(slot.current, LABEL_RECOVERY_KEY))) {
                    // An earlier attempt of this very step created it: finish what it may not have.
                    boolean started = ensureRunning(ctx, done, slot.current.getId());
                    if (slot.old != null) {
                        remove(slot.old.getId());
                    }
                    changed |= started;
                    done.add(name + " already recreated by an earlier attempt" + (started ? " (started it)" : ""));
                    continue;
                }
                InspectContainerResponse source;
                if (slot.old != null) {
                    // A crash mid-way left the renamed original: it holds the configuration to recreate from.
                    source = inspect(slot.old.getId()).orElseThrow(() -> ApplicationFailure.newFailure(
                            "container " + name + OLD_SUFFIX + " vanished while recreating", "Conflict"));
                    requireImage(source.getConfig().getImage(), sc.service());
                    if (slot.current != null) {
                        remove(slot.current.getId());
                    }
                } else {
                    source = inspect(slot.current.getId()).orElseThrow(() -> ApplicationFailure.newFailure(
                            "container " + name + " vanished while recreating", "Conflict"));
                    requireImage(source.getConfig().getImage(), sc.service());
                    blocking(ctx, done, () -> {
                        stop(source.getId(), stopTimeout);
                        docker.renameContainerCmd(source.getId()).withName(name + OLD_SUFFIX).exec();
                        return null;
                    });
                }
                String id = blocking(ctx, done, () -> createFrom(source, name, key));
                start(ctx, done, id);
                remove(source.getId());
                changed = true;
                done.add(name + " recreated");
                ctx.heartbeat(List.copyOf(done));
            }
        }
        return new ActionResult(changed, done.isEmpty() ? "nothing to recreate" : String.join("; ", done), attempt);
    }

    private static final class Slot {
        Container current;
        Container old;
    }

    private void requireImage(String image, String service) {
        try {
            docker.inspectImageCmd(image).exec();
        } catch (NotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailure("image " + image + " of service " + service
                    + " is not on the Docker engine (roma-dr never pulls while recovering; load or build it first)",
                    "ImageMissing");
        }
    }

    /** Creates a container named {@code name} from a recorded configuration, re-attaching its volumes. */
    private String createFrom(InspectContainerResponse source, String name, String key) {
        ContainerConfig cfg = source.getConfig();
        HostConfig hc = source.getHostConfig() == null ? HostConfig.newHostConfig() : source.getHostConfig();
        Map<String, String> labels = new HashMap<>(cfg.getLabels() == null ? Map.of() : cfg.getLabels());
        labels.put(LABEL_RECOVERY_KEY, key);

        // Volumes (named, and anonymous ones the image or a -v /path made) keep their names, so data survives.
        List<Bind> binds = new ArrayList<>(hc.getBinds() == null ? List.of() : Arrays.asList(hc.getBinds()));
        Set<String> covered = new HashSet<>();
        for (Bind b : binds) {
            covered.add(b.getVolume().getPath());
        }
        if (hc.getMounts() != null) {
            for (Mount m : hc.getMounts()) {
                covered.add(m.getTarget());
            }
        }
        if (source.getMounts() != null) {
            for (InspectContainerResponse.Mount m : source.getMounts()) {
                String dest = m.getDestination() == null ? null : m.getDestination().getPath();
                if (m.getName() != null && !m.getName().isEmpty() && dest != null && covered.add(dest)) {
                    binds.add(new Bind(m.getName(), new Volume(dest),
                            Boolean.FALSE.equals(m.getRW()) ? AccessMode.ro : AccessMode.rw));
                }
            }
        }
        hc.withBinds(binds);

        CreateContainerCmd cmd = docker.createContainerCmd(cfg.getImage()).withName(name).withLabels(labels)
                .withHostConfig(hc);
        if (cfg.getCmd() != null) {
            cmd.withCmd(cfg.getCmd());
        }
        if (cfg.getEntrypoint() != null) {
            cmd.withEntrypoint(cfg.getEntrypoint());
        }
        if (cfg.getEnv() != null) {
            cmd.withEnv(cfg.getEnv());
        }
        if (cfg.getExposedPorts() != null) {
            cmd.withExposedPorts(cfg.getExposedPorts());
        }
        if (notBlank(cfg.getWorkingDir())) {
            cmd.withWorkingDir(cfg.getWorkingDir());
        }
        if (notBlank(cfg.getUser())) {
            cmd.withUser(cfg.getUser());
        }
        if (cfg.getHealthcheck() != null) {
            cmd.withHealthcheck(cfg.getHealthcheck());
        }
        if (cfg.getTty() != null) {
            cmd.withTty(cfg.getTty());
        }
        if (cfg.getStdinOpen() != null) {
            cmd.withStdinOpen(cfg.getStdinOpen());
        }
        if (notBlank(cfg.getDomainName())) {
            cmd.withDomainName(cfg.getDomainName());
        }
        Map<String, ContainerNetwork> networks = source.getNetworkSettings() == null
                || source.getNetworkSettings().getNetworks() == null ? Map.of()
                : source.getNetworkSettings().getNetworks();
        String primary = hc.getNetworkMode();
        String oldShortId = shortId(source.getId());
        if (hc.isUserDefinedNetwork() && primary != null && networks.containsKey(primary)) {
            List<String> aliases = aliases(networks.get(primary), oldShortId);
            if (!aliases.isEmpty()) {
                cmd.withAliases(aliases);
            }
        }
        String id = cmd.exec().getId();
        // Further user-defined networks (compose services on several networks), with their aliases.
        for (Map.Entry<String, ContainerNetwork> n : networks.entrySet()) {
            if (n.getKey().equals(primary) || List.of("bridge", "host", "none", "default").contains(n.getKey())) {
                continue;
            }
            docker.connectToNetworkCmd().withContainerId(id).withNetworkId(n.getKey())
                    .withContainerNetwork(new ContainerNetwork().withAliases(aliases(n.getValue(), oldShortId)))
                    .exec();
        }
        return id;
    }

    private static List<String> aliases(ContainerNetwork n, String oldShortId) {
        if (n == null || n.getAliases() == null) {
            return List.of();
        }
        return n.getAliases().stream().filter(a -> !a.equals(oldShortId)).toList();
    }

    /** A compose-like container from the plan's template: {@code <project>-<service>-1}. */
    private String createFromTemplate(String project, String service, String name, ContainerTemplate t,
            String key) {
        Map<String, String> labels = new HashMap<>(t.labels());
        labels.put(LABEL_PROJECT, project);
        labels.put(LABEL_SERVICE, service);
        labels.put("com.docker.compose.container-number", "1");
        labels.put("com.docker.compose.oneoff", "False");
        labels.put(LABEL_RECOVERY_KEY, key);
        List<ExposedPort> exposed = new ArrayList<>();
        Ports ports = new Ports();
        for (String p : t.ports()) {
            Matcher m = PORT.matcher(p);
            if (!m.matches()) {
                throw ApplicationFailure.newNonRetryableFailure("bad port \"" + p + "\" in the template of " + service,
                        "InvalidPlan");
            }
            String ip = m.group(1) == null ? "127.0.0.1" : m.group(1).replace("[", "").replace("]", "");
            int containerPort = Integer.parseInt(m.group(3));
            ExposedPort ep = "udp".equals(m.group(4)) ? ExposedPort.udp(containerPort) : ExposedPort.tcp(containerPort);
            exposed.add(ep);
            ports.bind(ep, Ports.Binding.bindIpAndPort(ip, Integer.parseInt(m.group(2))));
        }
        List<Bind> binds = new ArrayList<>();
        for (String mount : t.mounts()) {
            String[] parts = mount.split(":");
            AccessMode mode = parts.length > 2 && "ro".equals(parts[2]) ? AccessMode.ro : AccessMode.rw;
            binds.add(new Bind(parts[0], new Volume(parts[1]), mode)); // a bind if it starts with /, else a volume
        }
        HostConfig hc = HostConfig.newHostConfig()
                .withPortBindings(ports)
                .withBinds(binds)
                .withInit(t.init())
                .withRestartPolicy(restartPolicy(t.restartPolicy()));
        String network = project + "_default";
        boolean composeNetwork = false;
        try {
            List<Network> nets = docker.listNetworksCmd().withNameFilter(network).exec();
            composeNetwork = nets.stream().anyMatch(n -> network.equals(n.getName()));
        } catch (RuntimeException e) {
            // default bridge
        }
        if (composeNetwork) {
            hc.withNetworkMode(network);
        }
        CreateContainerCmd cmd = docker.createContainerCmd(t.image()).withName(name).withLabels(labels)
                .withHostConfig(hc)
                .withEnv(t.env().entrySet().stream().map(en -> en.getKey() + "=" + en.getValue()).toList());
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(exposed);
        }
        if (!t.command().isEmpty()) {
            cmd.withCmd(t.command());
        }
        if (composeNetwork) {
            cmd.withAliases(service);
        }
        return cmd.exec().getId();
    }

    static RestartPolicy restartPolicy(String policy) {
        return switch (policy == null ? "no" : policy) {
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> RestartPolicy.onFailureRestart(0);
            default -> RestartPolicy.noRestart();
        };
    }

    private void stop(String id, int timeoutSeconds) {
        try {
            docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    private void start(ActivityExecutionContext ctx, Object details, String id) {
        blocking(ctx, details, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException e) {
                // already running
            }
            return null;
        });
    }

    /** Returns true if it had to start the container. */
    private boolean ensureRunning(ActivityExecutionContext ctx, Object details, String id) {
        InspectContainerResponse i = inspect(id).orElse(null);
        if (i == null || Boolean.TRUE.equals(i.getState().getRunning())) {
            return false;
        }
        start(ctx, details, id);
        return true;
    }

    /** Removes a container, never its volumes; gone already is fine. */
    private void remove(String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
                throw e;
            }
        }
    }

    // ---- runCommand ------------------------------------------------------------------------------------------------

    @Override
    public ActionResult runCommand(CommandStep step) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = attempt(ctx);
        HostCommandRunner.Result r;
        try {
            r = commands.run(step.command(), step.workdir() == null ? null : Path.of(step.workdir()), step.env(),
                    step.timeout(), () -> ctx.heartbeat(step.name()));
        } catch (IOException e) {
            throw ApplicationFailure.newNonRetryableFailure("step \"" + step.name() + "\" could not start: "
                    + LogRedactor.redact(String.valueOf(e.getMessage())), "CommandNotStarted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("step \"" + step.name() + "\" interrupted", "Interrupted");
        }
        String tail = r.outputTail().isBlank() ? "(no output)" : r.outputTail();
        if (r.timedOut()) {
            throw ApplicationFailure.newFailure("step \"" + step.name() + "\" timed out after "
                    + seconds(step.timeout()) + "s and was killed; output tail:\n" + tail, "CommandTimedOut");
        }
        if (r.exitCode() != 0) {
            throw ApplicationFailure.newFailure("step \"" + step.name() + "\" exited with " + r.exitCode()
                    + "; output tail:\n" + tail, "CommandFailed", r.exitCode());
        }
        return new ActionResult(true, step.name() + ": exit 0 in " + r.millis() + " ms; output tail:\n" + tail,
                attempt);
    }

    // ---- health ----------------------------------------------------------------------------------------------------

    @Override
    public HealthResult waitHealthy(HealthRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        int attempt = attempt(ctx);
        // A retried attempt keeps the first attempt's start, so retries do not stretch the wait.
        long startedAt = ctx.getHeartbeatDetails(Long.class).orElse(System.currentTimeMillis());
        long within = request.within().toMillis();
        long poll = Math.max(100, request.pollInterval().toMillis());
        int probes = 0;
        while (true) {
            List<CheckResult> results = runChecks(ctx, startedAt, request);
            probes++;
            boolean healthy = results.stream().allMatch(CheckResult::ok);
            long waited = System.currentTimeMillis() - startedAt;
            if (healthy || waited + poll > within) {
                return new HealthResult(healthy, results, probes, Math.max(0, waited), attempt);
            }
            long until = System.currentTimeMillis() + poll;
            while (System.currentTimeMillis() < until) {
                ctx.heartbeat(startedAt);
                try {
                    Thread.sleep(Math.min(1000, Math.max(1, until - System.currentTimeMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApplicationFailure.newFailure("interrupted while waiting", "Interrupted");
                }
            }
        }
    }

    @Override
    public HealthResult check(HealthRequest request) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        long start = System.currentTimeMillis();
        List<CheckResult> results = runChecks(ctx, start, request);
        return new HealthResult(results.stream().allMatch(CheckResult::ok), results, 1,
                System.currentTimeMillis() - start, attempt(ctx));
    }

    /** One round: every check in parallel, heartbeating while they run. */
    private List<CheckResult> runChecks(ActivityExecutionContext ctx, Object details, HealthRequest request) {
        List<Future<CheckResult>> futures = new ArrayList<>();
        for (HealthCheck c : request.checks()) {
            futures.add(pool.submit(() -> runCheck(request.composeProject(), c)));
        }
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            HealthCheck c = request.checks().get(i);
            try {
                results.add(await(ctx, details, futures.get(i)));
            } catch (RuntimeException e) {
                results.add(new CheckResult(c.name(), false, "check failed: "
                        + LogRedactor.redact(String.valueOf(e.getMessage()))));
            }
        }
        return results;
    }

    private CheckResult runCheck(String project, HealthCheck c) {
        if (c.http() != null) {
            return http.probe(c.name(), c.http());
        }
        return execCheck(project, c.name(), c.exec());
    }

    private CheckResult execCheck(String project, String name, ExecCheck e) {
        Container target = current(project, e.service()).stream()
                .filter(c -> "running".equals(c.getState())).findFirst().orElse(null);
        if (target == null) {
            return new CheckResult(name, false, "no running container for service " + e.service());
        }
        long start = System.nanoTime();
        ExecOutput out;
        try {
            out = exec(docker, target.getId(), e.command(), e.timeout());
        } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException ex) {
            return new CheckResult(name, false, "container of " + e.service() + " went away: " + ex.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String tail = out.output().isBlank() ? "" : ": " + LogRedactor.redactTail(out.output().strip(),
                CHECK_OUTPUT_CHARS);
        if (out.timedOut()) {
            return new CheckResult(name, false, "timed out after " + e.timeout().toMillis() + " ms in "
                    + name(target) + tail);
        }
        return new CheckResult(name, out.exitCode() == 0, "exit " + out.exitCode() + " in " + ms + " ms" + tail);
    }

    /** What a command run with docker exec printed and how it ended. */
    record ExecOutput(long exitCode, boolean timedOut, String output) {}

    static ExecOutput exec(DockerClient docker, String containerId, List<String> command, Duration timeout) {
        String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder sb = new StringBuilder();
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (sb) {
                    if (sb.length() < 64 * 1024) {
                        sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }
        };
        boolean finished;
        try {
            finished = docker.execStartCmd(execId).exec(cb).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        String output;
        synchronized (sb) {
            output = sb.toString();
        }
        if (!finished) {
            try {
                cb.close();
            } catch (IOException ignored) {
                // best effort
            }
            return new ExecOutput(-1, true, output);
        }
        // The stream closes as the process ends; the exit code may lag behind by a moment.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            var info = docker.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(info.isRunning()) && info.getExitCodeLong() != null) {
                return new ExecOutput(info.getExitCodeLong(), false, output);
            }
            if (System.nanoTime() > deadline) {
                return new ExecOutput(-1, true, output);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return new ExecOutput(-1, true, output);
            }
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    /** Every container of the service, including a renamed {@code -romadr-old} one. */
    private List<Container> all(String project, String service) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_PROJECT, project, LABEL_SERVICE, service)).exec();
    }

    /** The service's containers, without one left renamed by an interrupted recreate. */
    private List<Container> current(String project, String service) {
        return all(project, service).stream().filter(c -> !name(c).endsWith(OLD_SUFFIX)).toList();
    }

    private Optional<InspectContainerResponse> inspect(String id) {
        try {
            return Optional.of(docker.inspectContainerCmd(id).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs a blocking call on a helper thread and heartbeats from the activity thread about every second until it
     * returns. A cancelled or timed-out activity (the heartbeat throws) interrupts the call.
     */
    private <T> T blocking(ActivityExecutionContext ctx, Object details, Callable<T> call) {
        return await(ctx, details, pool.submit(call));
    }

    private static <T> T await(ActivityExecutionContext ctx, Object details, Future<T> future) {
        try {
            while (true) {
                try {
                    return future.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    ctx.heartbeat(details);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted", "Interrupted");
        } catch (CancellationException e) {
            throw ApplicationFailure.newFailure("cancelled", "Cancelled");
        } catch (RuntimeException | Error e) {
            future.cancel(true);
            throw e;
        }
    }

    /** The attempt number of the running activity (1 for the first; a bare test context may say 0). */
    static int attempt(ActivityExecutionContext ctx) {
        return Math.max(1, ctx.getInfo().getAttempt());
    }

    static String name(Container c) {
        return c.getNames() == null || c.getNames().length == 0 ? c.getId() : bare(c.getNames()[0]);
    }

    static String bare(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static String label(Container c, String key) {
        return c.getLabels() == null ? null : c.getLabels().get(key);
    }

    static String shortId(String id) {
        return id == null ? "" : id.substring(0, Math.min(12, id.length()));
    }

    static Instant parseTime(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int seconds(Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void append(StringBuilder sb, String text) {
        if (sb.length() > 0) {
            sb.append("; ");
        }
        sb.append(text);
    }
}
