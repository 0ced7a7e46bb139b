package io.romadr.activities.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Snapshot throughput of {@link ArchiveWriter} (tar -> parallel gzip -> SHA-256, to a null stream) vs {@code tar czf -
 * DIR > /dev/null} on the same directory, in alternating rounds; prints a markdown block with per-round times, the
 * median ratio and the JVM's peak heap. Usage: {@code ArchiveBenchmark DIR ROUNDS}. Run by
 * bench/snapshot-benchmark.sh.
 */
public final class ArchiveBenchmark {

    private ArchiveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long dataBytes;
        try (var s = Files.walk(dir)) {
            dataBytes = s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        List<double[]> results = new ArrayList<>();
        ArchiveWriter.ArchiveResult last = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            last = new ArchiveWriter().writeDirectory(dir, OutputStream.nullOutputStream());
            double roma = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            Process p = new ProcessBuilder("bash", "-c", "tar czf - -C \"$0\" . > /dev/null", dir.toString())
                    .inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("tar czf failed: exit " + p.exitValue());
            }
            double tar = (System.nanoTime() - t1) / 1e9;
            results.add(new double[]{roma, tar});
            System.err.printf(Locale.ROOT, "round %d: roma-dr %.2f s, tar czf %.2f s%n", i + 1, roma, tar);
        }
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peakHeap += pool.getPeakUsage().getUsed();
            }
        }
        double mib = dataBytes / (1024.0 * 1024.0);
        StringBuilder sb = new StringBuilder();
        sb.append(
                String.format(Locale.ROOT, "#### Snapshot: roma-dr ArchiveWriter vs `tar czf - DIR > /dev/null`%n%n"));
        sb.append(String.format(Locale.ROOT,
                "- data: %.0f MiB in %s; %d CPUs; max heap %d MiB; %d alternating rounds%n",
                mib, dir, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, rounds));
        sb.append(String.format(Locale.ROOT, "- roma-dr archive: %d entries, %.1f MiB compressed (%.1f%% of input)%n%n",
                last.entries(), last.compressedBytes() / 1048576.0,
                100.0 * last.compressedBytes() / Math.max(1, dataBytes)));
        sb.append("| round | roma-dr s | roma-dr MiB/s | tar czf s | tar czf MiB/s | ratio (tar / roma-dr) |\n");
        sb.append("| --- | --- | --- | --- | --- | --- |\n");
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            double[] r = results.get(i);
            ratios.add(r[1] / r[0]);
            sb.append(
                    String.format(Locale.ROOT, "| %d | %.2f | %.0f | %.2f | %.0f | %.2fx |%n", i + 1, r[0], mib / r[0],
                            r[1], mib / r[1], r[1] / r[0]));
        }
        ratios.sort(null);
        sb.append(String.format(Locale.ROOT,
                "%n**Median speed-up: %.2fx**; peak heap (all heap pools, whole run): %.1f MiB%n",
                ratios.get(ratios.size() / 2), peakHeap / 1048576.0));
        System.out.print(sb);
    }
}
