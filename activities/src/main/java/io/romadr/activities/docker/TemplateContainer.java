package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.plan.PlanEnvironment;
import io.romadr.plan.ContainerTemplate;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The create command for a container from a plan's template (the subset of a compose service roma-dr understands):
 * ports published as written (127.0.0.1 when no address is given), mounts, init, restart policy, env (resolved
 * here, on the worker: {@code fromEnv}/{@code fromFile} values never leave this activity), command.
 * Used by Scenario 1 (a container gone altogether) and Scenario 3 (every container of the new server).
 */
public final class TemplateContainer {
    static final Pattern PORT = Pattern.compile("(?:([0-9a-fA-F.:\\[\\]]+):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");

    private TemplateContainer() {
    }

    /**
     * @param image       the image to run (the template's, or where the recovery pulled it from)
     * @param extraEnv    added to the template's env (the template wins on a clash: it is the plan's explicit value)
     * @param mountSource maps a mount's source (a host path, or a volume name) to what this engine should mount
     */
    public static CreateContainerCmd command(DockerClient docker, String service, String name, ContainerTemplate t,
            String image, Map<String, String> labels, Map<String, String> extraEnv, UnaryOperator<String> mountSource) {
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
            // a bind if the source starts with /, else a named volume
            binds.add(new Bind(mountSource.apply(parts[0]), new Volume(parts[1]), mode));
        }
        HostConfig hc = HostConfig.newHostConfig()
                .withPortBindings(ports)
                .withBinds(binds)
                .withInit(t.init())
                .withRestartPolicy(restartPolicy(t.restartPolicy()));
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.putAll(PlanEnvironment.resolve(t.env()).values());
        CreateContainerCmd cmd = docker.createContainerCmd(image).withName(name).withLabels(labels)
                .withHostConfig(hc)
                .withEnv(env.entrySet().stream().map(en -> en.getKey() + "=" + en.getValue()).toList());
        if (!exposed.isEmpty()) {
            cmd.withExposedPorts(exposed);
        }
        if (!t.command().isEmpty()) {
            cmd.withCmd(t.command());
        }
        return cmd;
    }

    static RestartPolicy restartPolicy(String policy) {
        return switch (policy == null ? "no" : policy) {
            case "always" -> RestartPolicy.alwaysRestart();
            case "unless-stopped" -> RestartPolicy.unlessStoppedRestart();
            case "on-failure" -> RestartPolicy.onFailureRestart(0);
            default -> RestartPolicy.noRestart();
        };
    }
}
