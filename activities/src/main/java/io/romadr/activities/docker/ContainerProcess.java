package io.romadr.activities.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ContainerConfig;

/** What runs in a container (command, entrypoint, env, working directory, user), copied from another one. */
public final class ContainerProcess {
    private ContainerProcess() {
    }

    /**
     * Gives {@code to} the process of {@code from}. The user too: a service refusing to run as root must not fail
     * only in the copy.
     */
    public static CreateContainerCmd copy(ContainerConfig from, CreateContainerCmd to) {
        if (from.getCmd() != null) {
            to.withCmd(from.getCmd());
        }
        if (from.getEntrypoint() != null) {
            to.withEntrypoint(from.getEntrypoint());
        }
        if (from.getEnv() != null) {
            to.withEnv(from.getEnv());
        }
        if (from.getWorkingDir() != null && !from.getWorkingDir().isBlank()) {
            to.withWorkingDir(from.getWorkingDir());
        }
        if (from.getUser() != null && !from.getUser().isBlank()) {
            to.withUser(from.getUser());
        }
        return to;
    }
}
