package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;

/** Removes a container idempotently: the one way activities remove one. */
public final class ContainerRemoval {
    private ContainerRemoval() {
    }

    /**
     * Removes {@code idOrName}, running or not; gone already, or a removal already in progress, is fine.
     * {@code withVolumes}: also its anonymous volumes (never for a service's container, whose data they may hold).
     */
    public static void force(DockerClient docker, String idOrName, boolean withVolumes) {
        try {
            docker.removeContainerCmd(idOrName).withForce(true).withRemoveVolumes(withVolumes).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
                throw e;
            }
        }
    }
}
