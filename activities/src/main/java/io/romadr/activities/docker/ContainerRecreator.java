package io.romadr.activities.docker;

import static io.romadr.activities.docker.DockerServiceActivities.LABEL_PROJECT;
import static io.romadr.activities.docker.DockerServiceActivities.LABEL_RECOVERY_KEY;
import static io.romadr.activities.docker.DockerServiceActivities.LABEL_SERVICE;
import static io.romadr.activities.docker.DockerServiceActivities.OLD_SUFFIX;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Volume;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.RecreateRequest;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces a service's containers with fresh ones of the same configuration. The original is stopped and renamed
 * to {@code <name>-romadr-old} before the new one is created, and removed only once the new one runs, so a retry
 * after a crash finds either the old configuration or a container labelled with this step's recovery key.
 */
final class ContainerRecreator {

    private final DockerClient docker;
    private final ComposeContainers containers;
    private final EngineCalls calls;

    ContainerRecreator(DockerClient docker, ComposeContainers containers, EngineCalls calls) {
        this.docker = docker;
        this.containers = containers;
        this.calls = calls;
    }

    ActionResult recreate(ActivityExecutionContext ctx, RecreateRequest request) {
        int attempt = EngineCalls.attempt(ctx);
        ServiceSpec spec = request.service();
        String project = spec.composeProject();
        String key = request.recoveryKey();
        int stopTimeout = EngineCalls.seconds(request.stopTimeout());

        // Validate before touching anything: a gone container with no template cannot be brought back.
        Map<ServiceContainer, List<Container>> found = new LinkedHashMap<>();
        for (ServiceContainer sc : spec.containers()) {
            if (!request.targets().contains(sc.service())) {
                continue;
            }
            List<Container> all = containers.all(project, sc.service());
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
                String id = calls.blocking(ctx, done, () -> createFromTemplate(project, sc.service(), name,
                        sc.template(), key));
                containers.start(ctx, done, id);
                changed = true;
                done.add(name + " created from the plan's template");
                ctx.heartbeat(List.copyOf(done));
                continue;
            }
            Map<String, Slot> slots = new LinkedHashMap<>();
            for (Container c : e.getValue()) {
                String n = ComposeContainers.name(c);
                if (n.endsWith(OLD_SUFFIX)) {
                    slots.computeIfAbsent(n.substring(0, n.length() - OLD_SUFFIX.length()), k -> new Slot()).old = c;
                } else {
                    slots.computeIfAbsent(n, k -> new Slot()).current = c;
                }
            }
            for (Map.Entry<String, Slot> s : slots.entrySet()) {
                String name = s.getKey();
                Slot slot = s.getValue();
                if (slot.current != null && key.equals(ComposeContainers.label(slot.current, LABEL_RECOVERY_KEY))) {
                    // An earlier attempt of this very step created it: finish what it may not have.
                    boolean started = containers.ensureRunning(ctx, done, slot.current.getId());
                    if (slot.old != null) {
                        containers.remove(slot.old.getId());
                    }
                    changed |= started;
                    done.add(name + " already recreated by an earlier attempt" + (started ? " (started it)" : ""));
                    continue;
                }
                InspectContainerResponse source;
                if (slot.old != null) {
                    // A crash mid-way left the renamed original: it holds the configuration to recreate from.
                    source = containers.inspect(slot.old.getId()).orElseThrow(() -> ApplicationFailure.newFailure(
                            "container " + name + OLD_SUFFIX + " vanished while recreating", "Conflict"));
                    requireImage(source.getConfig().getImage(), sc.service());
                    if (slot.current != null) {
                        containers.remove(slot.current.getId());
                    }
                } else {
                    source = containers.inspect(slot.current.getId()).orElseThrow(() -> ApplicationFailure.newFailure(
                            "container " + name + " vanished while recreating", "Conflict"));
                    requireImage(source.getConfig().getImage(), sc.service());
                    calls.blocking(ctx, done, () -> {
                        containers.stop(source.getId(), stopTimeout);
                        docker.renameContainerCmd(source.getId()).withName(name + OLD_SUFFIX).exec();
                        return null;
                    });
                }
                String id = calls.blocking(ctx, done, () -> createFrom(source, name, key));
                containers.start(ctx, done, id);
                containers.remove(source.getId());
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
        ContainerProcess.copy(cfg, cmd);
        if (cfg.getExposedPorts() != null) {
            cmd.withExposedPorts(cfg.getExposedPorts());
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
                || source.getNetworkSettings().getNetworks() == null
                        ? Map.of()
                        : source.getNetworkSettings().getNetworks();
        String primary = hc.getNetworkMode();
        String oldShortId = ComposeContainers.shortId(source.getId());
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
        CreateContainerCmd cmd = TemplateContainer.command(docker, service, name, t, t.image(), labels, Map.of(),
                source -> source);
        String network = project + "_default";
        boolean composeNetwork = false;
        try {
            List<Network> nets = docker.listNetworksCmd().withNameFilter(network).exec();
            composeNetwork = nets.stream().anyMatch(n -> network.equals(n.getName()));
        } catch (RuntimeException e) {
            // default bridge
        }
        if (composeNetwork) {
            cmd.getHostConfig().withNetworkMode(network);
            cmd.withAliases(service);
        }
        return cmd.exec().getId();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
