package io.romadr.activities.site;

import static io.romadr.activities.docker.DockerServiceActivities.LABEL_PROJECT;
import static io.romadr.activities.docker.DockerServiceActivities.LABEL_SERVICE;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.compute.Server;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.TemplateContainer;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.SiteSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Seed step 3, "docker compose up -d", for the docker provider: each service of the plan as a container on the local
 * engine (the new server's container runtime), from its template, with the image the recovery pulled, the env file's
 * variables, and its mounts on the server's disk: a source under {@code /srv} is that directory of the server, a
 * named volume is {@code /srv/volumes/<name>}; anything else would reach outside the server and is refused. Each
 * container carries the server's site key, so terminating the server removes it too.
 */
final class SiteServices {
    private final DockerClient docker;
    private final ComposeContainerFinder containers;

    SiteServices(DockerClient docker) {
        this.docker = docker;
        this.containers = new ComposeContainerFinder(docker);
    }

    /** Where on the server the data a template mounts at {@code containerPath} lives. */
    static String serverDirectory(ContainerTemplate t, String containerPath) {
        for (String mount : t.mounts()) {
            String[] parts = mount.split(":");
            if (parts[1].equals(containerPath) || parts[1].equals(containerPath + "/")) {
                return serverPath(parts[0]);
            }
        }
        throw ApplicationFailure.newNonRetryableFailure("the template mounts nothing at " + containerPath
                + ": state and artifacts must be on a mount to survive on the new server", "InvalidPlan");
    }

    static String serverPath(String source) {
        if (!source.startsWith("/")) {
            return SiteSpec.SERVER_ROOT + "/volumes/" + source;
        }
        if (!SiteSpec.underServerRoot(source)) {
            throw ApplicationFailure.newNonRetryableFailure("mount source " + source + " is outside "
                    + SiteSpec.SERVER_ROOT + ", so it would not be on the new server", "InvalidPlan");
        }
        return source;
    }

    ActionResult start(ServiceSpec spec, Server server, Map<String, String> images, Map<String, String> env,
            Function<String, Path> hostPath) {
        String siteKey = server.tags().get(DockerHostCompute.SITE_KEY_LABEL);
        if (siteKey == null) {
            throw ApplicationFailure.newNonRetryableFailure("server " + server.id() + " has no "
                    + DockerHostCompute.SITE_KEY_LABEL + " label", "ServerUnknown");
        }
        List<String> done = new ArrayList<>();
        boolean changed = false;
        for (ServiceContainer sc : spec.containers()) {
            List<Container> existing = containers(spec.composeProject(), sc.service(), siteKey);
            String id;
            if (existing.isEmpty()) {
                ContainerTemplate t = sc.template();
                Map<String, String> labels = new HashMap<>(t.labels());
                labels.put(LABEL_PROJECT, spec.composeProject());
                labels.put(LABEL_SERVICE, sc.service());
                labels.put("com.docker.compose.container-number", "1");
                labels.put("com.docker.compose.oneoff", "False");
                labels.put(DockerHostCompute.SITE_KEY_LABEL, siteKey);
                String name = spec.composeProject() + "-" + sc.service() + "-1";
                try {
                    id = TemplateContainer.command(docker, sc.service(), name, t, images.getOrDefault(t.image(),
                            t.image()), labels, env, source -> hostPath.apply(serverPath(source)).toString())
                            .exec().getId();
                } catch (ConflictException e) {
                    throw ApplicationFailure.newNonRetryableFailure("a container named " + name + " already exists "
                            + "on this engine and is not this server's (the lost site's?); remove it first",
                            "NameTaken");
                }
                done.add(sc.service() + " created");
                changed = true;
            } else {
                id = existing.get(0).getId();
            }
            try {
                docker.startContainerCmd(id).exec();
                done.add(sc.service() + " started");
                changed = true;
            } catch (NotModifiedException alreadyRunning) {
                done.add(sc.service() + " already running");
            }
        }
        return new ActionResult(changed, String.join(", ", done), 1);
    }

    /**
     * Restarts the service's containers on this server (never a lost site's leftovers with the same compose labels)
     * so they read restored data; answers what it did, for the report.
     */
    String restart(String project, String service, Server server) {
        String siteKey = server.tags().get(DockerHostCompute.SITE_KEY_LABEL);
        List<Container> all = containers(project, service, siteKey == null ? "" : siteKey);
        for (Container c : all) {
            docker.restartContainerCmd(c.getId()).withTimeout(10).exec();
        }
        return all.isEmpty() ? "" : "; " + service + " restarted";
    }

    private List<Container> containers(String project, String service, String siteKey) {
        return containers.withLabels(project, service, Map.of(DockerHostCompute.SITE_KEY_LABEL, siteKey));
    }
}
