package io.romadr.activities.docker;

import static io.romadr.activities.docker.DockerServiceActivities.LABEL_PROJECT;
import static io.romadr.activities.docker.DockerServiceActivities.LABEL_SERVICE;
import static io.romadr.activities.docker.DockerServiceActivities.OLD_SUFFIX;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a compose service's containers on the engine by the labels {@link DockerServiceActivities#LABEL_PROJECT} and
 * {@link DockerServiceActivities#LABEL_SERVICE}: the one way every activity looks them up.
 */
public final class ComposeContainerFinder {
    private final DockerClient docker;

    public ComposeContainerFinder(DockerClient docker) {
        this.docker = docker;
    }

    /** Every container of the service, running or not, including a renamed {@code -romadr-old} one. */
    public List<Container> all(String project, String service) {
        return withLabels(project, service, Map.of());
    }

    /** The service's containers, without one left renamed by an interrupted recreate. */
    public List<Container> current(String project, String service) {
        return all(project, service).stream().filter(c -> !ComposeContainers.name(c).endsWith(OLD_SUFFIX)).toList();
    }

    /** Every container of the service that also carries {@code more} labels (a site server's key, for one). */
    public List<Container> withLabels(String project, String service, Map<String, String> more) {
        Map<String, String> labels = new HashMap<>(more);
        labels.put(LABEL_PROJECT, project);
        labels.put(LABEL_SERVICE, service);
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    }

    /** The container's details; null when it is gone (removed between a listing and this look). */
    public InspectContainerResponse inspect(String id) {
        try {
            return docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** A container's name as Docker's API gives it ("/roma-roma-1"), without the leading slash. */
    public static String bare(String name) {
        return ComposeContainers.bare(name);
    }
}
