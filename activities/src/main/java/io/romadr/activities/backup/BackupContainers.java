package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.docker.ComposeContainerFinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The engine side of a backup: the service's container, the host directory behind its mount, stop and start. */
final class BackupContainers {
    private final DockerClient docker;
    private final ComposeContainerFinder finder;

    BackupContainers(DockerClient docker) {
        this.docker = docker;
        this.finder = new ComposeContainerFinder(docker);
    }

    /** The running container; none running is retryable (the service may be restarting). */
    String runningContainer(String project, String service) {
        return finder.current(project, service).stream()
                .filter(c -> "running".equals(c.getState()))
                .map(Container::getId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no running container for compose service "
                        + project + "/" + service));
    }

    InspectContainerResponse container(String project, String service) {
        List<Container> found = finder.current(project, service);
        if (found.isEmpty()) {
            throw new IllegalStateException("no container for compose service " + project + "/" + service);
        }
        return docker.inspectContainerCmd(found.get(0).getId()).exec();
    }

    /** The host directory behind the volume or bind mount at {@code path}. */
    static Path hostDirectory(InspectContainerResponse c, String path) throws IOException {
        List<String> mounts = new ArrayList<>();
        for (InspectContainerResponse.Mount mount : c.getMounts() == null
                ? List.<InspectContainerResponse.Mount>of()
                : c.getMounts()) {
            String dest = mount.getDestination() == null ? null : mount.getDestination().getPath();
            mounts.add(String.valueOf(dest));
            if (dest != null && BackupOperations.containerPath(dest).equals(path) && mount.getSource() != null
                    && !mount.getSource().isBlank()) {
                Path host = Path.of(mount.getSource()).toAbsolutePath().normalize();
                AtomicSwap.recover(host); // an interrupted swap may have left it renamed aside
                if (!Files.isDirectory(host)) {
                    throw new IOException("host directory " + host + " of mount " + path + " is not a directory on"
                            + " this host (the worker must run on the Docker host)");
                }
                return host;
            }
        }
        throw new BackupRefusedException("NotAMount", "state path must be a volume or bind mount: " + path
                + " is not a mount of container " + c.getName() + " (mounts: " + mounts + ")");
    }

    void stop(String id) {
        try {
            docker.stopContainerCmd(id).withTimeout(BackupOperations.STOP_TIMEOUT_SECONDS).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    void start(String id) {
        try {
            docker.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // already running
        }
    }
}
