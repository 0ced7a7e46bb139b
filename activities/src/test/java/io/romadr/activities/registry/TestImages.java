package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.SandboxImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Builds local test images and runs the docker CLI; a missing engine or CLI fails the test. */
final class TestImages {
    private TestImages() {
    }

    static DockerClient docker() {
        DockerClient docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable (" + e + "); these tests need a real engine and are never skipped");
        }
        return docker;
    }

    /**
     * {@code FROM roma-dr/sandbox:busybox}, then one COPY per data file (one layer each, {@code mibPerLayer} MiB of
     * random bytes), then the marker file; the image prints the marker when run.
     */
    static String build(DockerClient docker, String tag, String marker, int dataLayers, int mibPerLayer)
            throws IOException {
        SandboxImage.ensure(docker);
        Path ctx = Files.createTempDirectory("roma-image");
        try {
            StringBuilder dockerfile = new StringBuilder("FROM " + SandboxImage.DEFAULT_IMAGE + "\n");
            Random random = new Random(marker.hashCode());
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < dataLayers; i++) {
                try (OutputStream out = Files.newOutputStream(ctx.resolve("data" + i + ".bin"))) {
                    for (int m = 0; m < mibPerLayer; m++) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                    }
                }
                dockerfile.append("COPY data").append(i).append(".bin /data").append(i).append(".bin\n");
            }
            Files.writeString(ctx.resolve("marker.txt"), marker + "\n");
            dockerfile.append("COPY marker.txt /marker.txt\nCMD [\"/bin/cat\", \"/marker.txt\"]\n");
            Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
            docker.buildImageCmd(ctx.toFile()).withTags(Set.of(tag)).withPull(false).start().awaitImageId();
            return tag;
        } finally {
            try (Stream<Path> walk = Files.walk(ctx)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs the docker CLI; returns stdout+stderr; a non-zero exit (or a missing CLI) fails. */
    static String cli(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("docker CLI not runnable (" + e + "); these tests need it and are never skipped");
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command + " did not finish");
        }
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }

    /** {@code docker rmi} of references that may or may not exist (cleanup). */
    static void removeQuietly(String... refs) {
        for (String ref : refs) {
            try {
                Process p = new ProcessBuilder("docker", "rmi", ref).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                p.waitFor(2, TimeUnit.MINUTES);
            } catch (Exception ignored) {
                // cleanup only
            }
        }
    }
}
