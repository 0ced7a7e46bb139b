package io.romadr.activities.backup;

import static io.romadr.activities.backup.TestRestoreOperations.SANDBOX_LABEL;
import static io.romadr.activities.backup.TestRestoreOperations.SANDBOX_OF_LABEL;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.ContainerLogs;
import io.romadr.activities.docker.ContainerProcess;
import io.romadr.activities.docker.ContainerRemoval;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.backup.TestRestoreRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of a test restore's sandbox: the live container it copies (image, env, command, user, ports), the
 * sandbox made from it with the extracted snapshot bind-mounted, its published ports and log tail, and its removal
 * (never of a container it did not make).
 */
final class SandboxContainers {
    private static final Logger log = LoggerFactory.getLogger(SandboxContainers.class);
    private static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_CHARS = 2048;

    private final DockerClient docker;
    private final ComposeContainerFinder containers;

    SandboxContainers(DockerClient docker) {
        this.docker = docker;
        this.containers = new ComposeContainerFinder(docker);
    }

    String create(TestRestoreRequest req, InspectContainerResponse live, String image, String path,
            Path data) {
        var config = live.getConfig();
        Set<ExposedPort> exposed = new LinkedHashSet<>();
        if (config.getExposedPorts() != null) {
            exposed.addAll(Arrays.asList(config.getExposedPorts()));
        }
        HostConfig liveHost = live.getHostConfig();
        if (liveHost != null && liveHost.getPortBindings() != null) {
            exposed.addAll(liveHost.getPortBindings().getBindings().keySet());
        }
        Ports bindings = new Ports();
        for (ExposedPort p : exposed) {
            bindings.bind(p, Ports.Binding.bindIp(SandboxPorts.SANDBOX_HOST)); // ephemeral host port
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("bridge")
                .withRestartPolicy(RestartPolicy.noRestart())
                .withPortBindings(bindings)
                .withBinds(new Bind(data.toString(), new Volume(path), AccessMode.rw));
        if (liveHost != null && liveHost.getInit() != null) {
            host.withInit(liveHost.getInit());
        }
        CreateContainerCmd cmd = docker.createContainerCmd(image)
                .withName(req.sandboxName())
                .withLabels(Map.of(SANDBOX_LABEL, "true", SANDBOX_OF_LABEL, req.project() + "/" + req.service()))
                .withExposedPorts(List.copyOf(exposed))
                .withHostConfig(host);
        return ContainerProcess.copy(config, cmd).exec().getId();
    }

    /** The service's container, a running one first; null if there is none. */
    InspectContainerResponse liveContainer(String project, String service) {
        List<Container> found = containers.current(project, service);
        Container pick = found.stream().filter(c -> "running".equals(c.getState())).findFirst()
                .orElse(found.isEmpty() ? null : found.get(0));
        if (pick == null) {
            return null;
        }
        try {
            return docker.inspectContainerCmd(pick.getId()).exec();
        } catch (NotFoundException e) {
            return null; // removed in between
        }
    }

    /**
     * Removes a container of the sandbox's name left by an earlier attempt. Returns why it refuses when that
     * container is not a sandbox (a name clash must never cost a real container).
     */
    String removeLeftover(String name) {
        InspectContainerResponse old;
        try {
            old = docker.inspectContainerCmd(name).exec();
        } catch (NotFoundException e) {
            return null;
        }
        Map<String, String> labels = old.getConfig().getLabels() == null ? Map.of() : old.getConfig().getLabels();
        if (!"true".equals(labels.get(SANDBOX_LABEL)) || labels.containsKey(DockerServiceActivities.LABEL_PROJECT)) {
            return "a container named " + name + " exists and is not a test-restore sandbox (no " + SANDBOX_LABEL
                    + "=true label, or it belongs to a compose project); it was left alone and no sandbox was made";
        }
        log.info("removing sandbox {} left by an earlier attempt", name);
        remove(name);
        return null;
    }

    void remove(String name) {
        ContainerRemoval.force(docker, name, true);
    }

    /** The live container's published ports and the running sandbox's, to point check URLs at the sandbox. */
    SandboxPorts ports(InspectContainerResponse live, String sandboxId) {
        return new SandboxPorts(liveHostPorts(live), sandboxHostPorts(sandboxId));
    }

    /** Published host port -> container port of the live container (what its check URLs name). */
    private static Map<Integer, Integer> liveHostPorts(InspectContainerResponse live) {
        Map<Integer, Integer> out = new HashMap<>();
        if (live.getHostConfig() != null && live.getHostConfig().getPortBindings() != null) {
            addHostPorts(live.getHostConfig().getPortBindings(), out);
        }
        if (live.getNetworkSettings() != null && live.getNetworkSettings().getPorts() != null) {
            addHostPorts(live.getNetworkSettings().getPorts(), out); // the actual ones win over configured ones
        }
        return out;
    }

    private static void addHostPorts(Ports ports, Map<Integer, Integer> out) {
        ports.getBindings().forEach((exposed, binds) -> {
            for (Ports.Binding b : binds == null ? new Ports.Binding[0] : binds) {
                Integer hostPort = parsePort(b.getHostPortSpec());
                if (hostPort != null) {
                    out.put(hostPort, exposed.getPort());
                }
            }
        });
    }

    /** Container port -> the host port the running sandbox publishes it on (on 127.0.0.1). */
    private Map<Integer, Integer> sandboxHostPorts(String id) {
        Map<Integer, Integer> out = new HashMap<>();
        var settings = docker.inspectContainerCmd(id).exec().getNetworkSettings();
        if (settings == null || settings.getPorts() == null) {
            return out;
        }
        settings.getPorts().getBindings().forEach((exposed, binds) -> {
            for (Ports.Binding b : binds == null ? new Ports.Binding[0] : binds) {
                Integer hostPort = parsePort(b.getHostPortSpec());
                if (hostPort != null && SandboxPorts.SANDBOX_HOST.equals(b.getHostIp())) {
                    out.putIfAbsent(exposed.getPort(), hostPort);
                }
            }
        });
        return out;
    }

    private static Integer parsePort(String spec) {
        if (spec == null || !spec.matches("\\d{1,5}")) {
            return null;
        }
        return Integer.valueOf(spec);
    }

    String logTail(String id) {
        String text;
        try {
            text = ContainerLogs.tail(docker, id, LOG_TAIL_LINES, Duration.ofSeconds(10)).strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(logs unavailable: interrupted)";
        } catch (RuntimeException e) {
            return "(logs unavailable: " + e.getClass().getSimpleName() + ")";
        }
        return text.isEmpty() ? "(empty)" : LogRedactor.redactTail(text, LOG_TAIL_CHARS);
    }
}
