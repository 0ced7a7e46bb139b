package io.romadr.drill;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerClients;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.util.FileUtils;

/** What the drills and the benchmarks need of the machine they run on: a Docker engine, and their files removed. */
public final class DrillEnvironment {
    private DrillEnvironment() {
    }

    /** A Docker client that answers, or why there is none ({@code who}: "drill", "benchmark"). */
    public static DockerClient docker(String who) {
        DockerClient docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw new IllegalStateException("the " + who + " needs a running Docker engine (" + e.getMessage() + ")",
                    e);
        }
        return docker;
    }

    /** Deletes a directory tree (a work directory, a git mirror cache); what is already gone is fine. */
    public static void deleteTree(Path root) throws IOException {
        FileUtils.delete(root.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.IGNORE_ERRORS);
    }
}
