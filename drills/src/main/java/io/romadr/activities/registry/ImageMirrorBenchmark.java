package io.romadr.activities.registry;

import io.romadr.bench.BenchmarkSupport;
import com.github.dockerjava.api.DockerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Image mirroring time: roma-dr's {@link ImageMirror} (registry to registry over the API) vs {@code docker pull} +
 * {@code docker tag} + {@code docker push} through the local engine, same image, same primary, a fresh backup
 * registry per round, the engine's copy removed before each docker round; order alternates per round. Also the
 * second (no-change) mirror run: time and bytes sent. Prints a markdown block. Usage:
 * {@code ImageMirrorBenchmark SIZE_MIB LAYERS ROUNDS}. Run by bench/image-mirror-benchmark.sh.
 */
public final class ImageMirrorBenchmark {
    private ImageMirrorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sizeMib = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        DockerClient docker = TestImages.docker();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String local = TestImages.build(docker, "roma-dr/mirror-bench:" + id, "bench-" + id, layers,
                sizeMib / layers);
        int parallelism = Integer.getInteger("roma.mirror.parallelism", ImageMirror.DEFAULT_PARALLELISM);
        ImageMirror mirror = new ImageMirror(parallelism);
        List<double[]> times = new ArrayList<>(); // roma, docker, roma second run
        long firstBytes = 0;
        long secondBytes = -1;
        int blobs = 0;
        try (RegistryServer primary = RegistryServer.start()) {
            String pushed = new EngineImages(docker).push(local, primary.hostAndPort(), "bench/app", "1.0", () -> {
            });
            TestImages.cli("rmi", local, pushed);
            RegistryClient src = new RegistryClient(primary.url(), RegistryCredentials.NONE);
            Manifest manifest = src.getManifest("bench/app", "1.0");
            blobs = manifest.blobs().size();
            for (int i = 0; i < rounds; i++) {
                double[] t = new double[3];
                try (RegistryServer backup = RegistryServer.start()) {
                    RegistryClient dst = new RegistryClient(backup.url(), RegistryCredentials.NONE);
                    for (int k = 0; k < 2; k++) {
                        int side = (i % 2 == 0) ? k : 1 - k;
                        if (side == 0) {
                            long t0 = System.nanoTime();
                            MirrorReport r = mirror.mirror(new ImageMirror.Endpoint(src, "bench/app"),
                                    new ImageMirror.Endpoint(dst, "roma/app"), List.of("1.0"),
                                    List.of("20261127-013000", "1.0.0"), () -> {
                                    });
                            t[0] = (System.nanoTime() - t0) / 1e9;
                            check(r);
                            firstBytes = r.bytesSent();
                            t0 = System.nanoTime();
                            MirrorReport again = mirror.mirror(new ImageMirror.Endpoint(src, "bench/app"),
                                    new ImageMirror.Endpoint(dst, "roma/app"), List.of("1.0"),
                                    List.of("20261127-013000", "1.0.0"), () -> {
                                    });
                            t[2] = (System.nanoTime() - t0) / 1e9;
                            check(again);
                            secondBytes = Math.max(secondBytes, again.bytesSent());
                        } else {
                            String from = primary.hostAndPort() + "/bench/app:1.0";
                            String to = backup.hostAndPort() + "/docker/app:1.0";
                            long t0 = System.nanoTime();
                            TestImages.cli("pull", from);
                            TestImages.cli("tag", from, to);
                            TestImages.cli("push", to);
                            t[1] = (System.nanoTime() - t0) / 1e9;
                            TestImages.cli("rmi", from, to); // the next round starts with an empty engine again
                        }
                    }
                }
                times.add(t);
                System.err.printf(Locale.ROOT, "round %d: roma %.2f s, docker %.2f s, roma no-change %.2f s%n",
                        i + 1, t[0], t[1], t[2]);
            }
        } finally {
            TestImages.removeQuietly(local);
        }
        double[] med = BenchmarkSupport.columnMedians(times, 3);
        double mib = firstBytes / 1048576.0;
        StringBuilder sb = new StringBuilder();
        sb.append("#### Image mirror: roma-dr ImageMirror vs `docker pull` + `docker tag` + `docker push`\n\n");
        sb.append(String.format(Locale.ROOT, "- image: %d blobs, %.1f MiB compressed (%d data layers of %d MiB random"
                + " bytes + busybox + marker); two docker-registry 2.8 on loopback; %d CPUs; %d blobs copied at once; %d "
                + "rounds, order alternating, fresh backup registry per round%n%n", blobs, mib, layers,
                sizeMib / layers, Runtime.getRuntime().availableProcessors(), parallelism, rounds));
        sb.append("| round | roma-dr mirror s | docker pull+tag+push s | roma-dr no-change rerun s |\n");
        sb.append("| --- | --- | --- | --- |\n");
        for (int i = 0; i < times.size(); i++) {
            double[] t = times.get(i);
            sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.3f |%n", i + 1, t[0], t[1], t[2]));
        }
        sb.append(String.format(Locale.ROOT, "| median | %.2f | %.2f | %.3f |%n", med[0], med[1], med[2]));
        sb.append(String.format(Locale.ROOT, "%n**Time ratio roma-dr / docker (medians): %.2f** (goal <= 0.33). "
                + "No-change rerun: %.3f s, %d bytes sent.%n", med[0] / med[1], med[2], secondBytes));
        System.out.print(sb);
    }

    private static void check(MirrorReport r) {
        if (!r.ok()) {
            throw new IllegalStateException("mirror failed: " + r);
        }
    }
}
