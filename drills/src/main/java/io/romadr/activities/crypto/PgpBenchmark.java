package io.romadr.activities.crypto;

import io.romadr.bench.BenchmarkSupport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * OpenPGP encryption throughput of {@link OpenPgpEncryptor} vs {@code gpg --encrypt} on the same file and the same
 * gpg-generated RSA-3072 key, in alternating rounds: roma-dr (no compression, its default), gpg
 * {@code --compress-algo none}, gpg with its default compression, and roma-dr with ZLIB for reference. All outputs go
 * to a null stream / {@code /dev/null}; gpg is timed as a subprocess from spawn to exit. Prints a markdown block.
 * Usage: {@code PgpBenchmark FILE ROUNDS}. Run by bench/pgp-benchmark.sh.
 */
public final class PgpBenchmark {
    private PgpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        double mib = Files.size(file) / (1024.0 * 1024.0);
        try (GpgHome gpg = new GpgHome(UUID.randomUUID().toString())) {
            String fpr = gpg.generateKey("Bench <bench@example.org>", "rsa3072", "encr", "never");
            List<PgpRecipient> recipients = OpenPgpKeys.readRecipients(gpg.exportPublic(fpr));
            String gpgVersion = new String(gpg.run(List.of("--version")), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("gpg");
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            String[] names = {"roma-dr (no compression)", "gpg --compress-algo none", "gpg (default compression)",
                    "roma-dr ZLIB"};
            List<double[]> times = new ArrayList<>();
            long romaBytes = 0;
            long romaZlibBytes = 0;
            for (int i = 0; i < rounds; i++) {
                double[] t = new double[4];
                // alternate which side goes first, so warm caches and turbo do not always favour one
                for (int k = 0; k < 4; k++) {
                    int side = (i % 2 == 0) ? k : 3 - k;
                    long t0 = System.nanoTime();
                    switch (side) {
                        case 0 -> romaBytes = roma(file, recipients, OpenPgpEncryptor.Compression.NONE);
                        case 1 -> gpgEncrypt(gpg, file, fpr, "--compress-algo none", "/dev/null");
                        case 2 -> gpgEncrypt(gpg, file, fpr, "", "/dev/null");
                        default -> romaZlibBytes = roma(file, recipients, OpenPgpEncryptor.Compression.ZLIB);
                    }
                    t[side] = (System.nanoTime() - t0) / 1e9;
                }
                times.add(t);
                System.err.printf(Locale.ROOT, "round %d: roma %.2f s, gpg none %.2f s, gpg default %.2f s, "
                        + "roma zlib %.2f s%n", i + 1, t[0], t[1], t[2], t[3]);
            }
            long peakHeap = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peakHeap += pool.getPeakUsage().getUsed();
                }
            }
            // output sizes, untimed
            long gpgNoneBytes = gpgSize(gpg, file, fpr, "--compress-algo none");
            long gpgDefaultBytes = gpgSize(gpg, file, fpr, "");

            double[] medians = BenchmarkSupport.columnMedians(times, 4);
            StringBuilder sb = new StringBuilder();
            sb.append("#### OpenPGP encryption: roma-dr OpenPgpEncryptor vs `gpg --encrypt`\n\n");
            sb.append(String.format(Locale.ROOT, "- data: %.0f MiB (%s); key: gpg-generated RSA-3072 (%s); %s; %d "
                    + "CPUs; max heap %d MiB; %d rounds, order alternating%n", mib, file.getFileName(), fpr,
                    gpgVersion, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    rounds));
            sb.append(String.format(Locale.ROOT, "- output sizes: roma-dr %.1f MiB, roma-dr ZLIB %.1f MiB, gpg none "
                    + "%.1f MiB, gpg default %.1f MiB%n%n", romaBytes / 1048576.0, romaZlibBytes / 1048576.0,
                    gpgNoneBytes / 1048576.0, gpgDefaultBytes / 1048576.0));
            sb.append("| round |");
            for (String n : names) {
                sb.append(' ').append(n).append(" s (MiB/s) |");
            }
            sb.append("\n| --- | --- | --- | --- | --- |\n");
            for (int i = 0; i < times.size(); i++) {
                double[] t = times.get(i);
                sb.append("| ").append(i + 1).append(" |");
                for (double v : t) {
                    sb.append(String.format(Locale.ROOT, " %.2f (%.0f) |", v, mib / v));
                }
                sb.append('\n');
            }
            sb.append("| median |");
            for (double v : medians) {
                sb.append(String.format(Locale.ROOT, " %.2f (%.0f) |", v, mib / v));
            }
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "%n**Throughput ratio roma-dr / gpg (medians): %.2fx vs `gpg "
                    + "--compress-algo none`, %.2fx vs gpg's default compression**; roma-dr ZLIB / gpg default: "
                    + "%.2fx. Peak heap (all heap pools, whole run): %.1f MiB%n", medians[1] / medians[0],
                    medians[2] / medians[0], medians[2] / medians[3], peakHeap / 1048576.0));
            System.out.print(sb);
        }
    }

    static long roma(Path file, List<PgpRecipient> recipients, OpenPgpEncryptor.Compression compression)
            throws IOException {
        CountingNullStream sink = new CountingNullStream();
        try (InputStream in = Files.newInputStream(file);
                OutputStream enc = new OpenPgpEncryptor(compression).encrypt(sink, recipients)) {
            in.transferTo(enc);
        }
        return sink.count;
    }

    static void gpgEncrypt(GpgHome gpg, Path file, String fpr, String options, String target) throws Exception {
        Process p = gpgProcess(gpg, file, fpr, options, "> " + target);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gpg --encrypt failed: exit " + p.exitValue());
        }
    }

    static long gpgSize(GpgHome gpg, Path file, String fpr, String options) throws Exception {
        Process p = gpgProcess(gpg, file, fpr, options, "| wc -c");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("gpg --encrypt | wc -c failed: exit " + p.exitValue());
        }
        return Long.parseLong(out);
    }

    private static Process gpgProcess(GpgHome gpg, Path file, String fpr, String options, String redirect)
            throws IOException {
        String cmd = "gpg --batch --no-tty --trust-model always --recipient " + fpr + " " + options
                + " --output - --encrypt \"$0\" " + redirect;
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd, file.toString());
        pb.environment().put("GNUPGHOME", gpg.path().toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    /** Discards bytes, counting them: the benchmark measures encryption, not the disk. */
    static final class CountingNullStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
