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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP encryption throughput of {@link OpenPgpEncryptor} vs {@code gpg --encrypt} on the same file and the same
 * gpg-generated RSA-3072 key, in alternating rounds: roma-dr (no compression, its default), gpg
 * {@code --compress-algo none}, gpg with its default compression, and for reference roma-dr with ZLIB and Bouncy
 * Castle's stock JCE encryptor. All outputs go to a null stream / {@code /dev/null}; gpg is timed as a subprocess
 * from spawn to exit. Prints a markdown block, then the single-thread ceiling of each primitive
 * ({@link PgpPrimitives}). Usage: {@code PgpBenchmark FILE ROUNDS [roma-only JFR_FILE]}; {@code roma-only} runs only
 * roma-dr without compression, ROUNDS times after two warm-up rounds, recorded by JFR (the steady state, for a
 * profile). Run by bench/pgp-benchmark.sh.
 */
public final class PgpBenchmark {
    private PgpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean romaOnly = args.length > 2 && args[2].equals("roma-only");
        double mib = Files.size(file) / (1024.0 * 1024.0);
        try (GpgHome gpg = new GpgHome(UUID.randomUUID().toString())) {
            String fpr = gpg.generateKey("Bench <bench@example.org>", "rsa3072", "encr", "never");
            List<PgpRecipient> recipients = OpenPgpKeys.readRecipients(gpg.exportPublic(fpr));
            String gpgVersion = new String(gpg.run(List.of("--version")), StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("gpg");
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            if (romaOnly) {
                profile(file, recipients, rounds, Path.of(args[3]));
                return;
            }
            String[] names = {"roma-dr (no compression)", "gpg --compress-algo none", "gpg (default compression)",
                    "roma-dr ZLIB", "BC stock JCE encryptor (no compression)"};
            int sides = names.length;
            List<double[]> times = new ArrayList<>();
            long romaBytes = 0;
            long romaZlibBytes = 0;
            for (int i = 0; i < rounds; i++) {
                double[] t = new double[sides];
                // alternate which side goes first, so warm caches and turbo do not always favour one
                for (int k = 0; k < sides; k++) {
                    int side = (i % 2 == 0) ? k : sides - 1 - k;
                    long t0 = System.nanoTime();
                    switch (side) {
                        case 0 -> romaBytes = roma(file, recipients, OpenPgpEncryptor.Compression.NONE);
                        case 1 -> gpgEncrypt(gpg, file, fpr, "--compress-algo none", "/dev/null");
                        case 2 -> gpgEncrypt(gpg, file, fpr, "", "/dev/null");
                        case 3 -> romaZlibBytes = roma(file, recipients, OpenPgpEncryptor.Compression.ZLIB);
                        default -> bcStock(file, recipients);
                    }
                    t[side] = (System.nanoTime() - t0) / 1e9;
                }
                times.add(t);
                System.err.printf(Locale.ROOT, "round %d: roma %.2f s, gpg none %.2f s, gpg default %.2f s, "
                        + "roma zlib %.2f s, bc stock %.2f s%n", i + 1, t[0], t[1], t[2], t[3], t[4]);
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

            double[] medians = BenchmarkSupport.columnMedians(times, sides);
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
            sb.append("\n|").append(" --- |".repeat(sides + 1)).append('\n');
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
                    + "%.2fx; roma-dr / BC's stock encryptor: %.2fx. Peak heap (all heap pools, whole run): %.1f MiB%n",
                    medians[1] / medians[0], medians[2] / medians[0], medians[2] / medians[3], medians[4] / medians[0],
                    peakHeap / 1048576.0));
            sb.append(PgpPrimitives.table());
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

    /**
     * The steady state alone: roma-dr without compression, two warm-up rounds, then ROUNDS rounds recorded by JFR
     * (profile settings, a stack sample every millisecond) into {@code jfrFile}.
     */
    static void profile(Path file, List<PgpRecipient> recipients, int rounds, Path jfrFile) throws Exception {
        for (int i = 0; i < 2; i++) {
            roma(file, recipients, OpenPgpEncryptor.Compression.NONE); // warm-up: the JIT's AES-NI and SHA-1 loops
        }
        try (Recording recording = new Recording(Configuration.getConfiguration("profile"))) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                roma(file, recipients, OpenPgpEncryptor.Compression.NONE);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            recording.stop();
            recording.dump(jfrFile);
            System.err.printf(Locale.ROOT, "profiled %d rounds: %.2f s, %.0f MiB/s%n", rounds, seconds,
                    rounds * Files.size(file) / 1048576.0 / seconds);
        }
    }

    /** Bouncy Castle's own JCE data encryptor: the JDK's AES/CFB, SHA-1 on the writing thread. */
    static void bcStock(Path file, List<PgpRecipient> recipients) throws Exception {
        SecureRandom random = new SecureRandom();
        PGPEncryptedDataGenerator encGen = new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(
                SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true).setSecureRandom(random));
        for (PgpRecipient r : recipients) {
            encGen.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(r.encryptionKey())
                    .setProvider(OpenPgpKeys.BC).setSecureRandom(random));
        }
        PGPLiteralDataGenerator litGen = new PGPLiteralDataGenerator();
        try (InputStream in = Files.newInputStream(file)) {
            OutputStream encrypted = encGen.open(new CountingNullStream(), new byte[OpenPgpEncryptor.BUFFER_SIZE]);
            OutputStream literal = litGen.open(encrypted, PGPLiteralData.BINARY, "", new Date(),
                    new byte[OpenPgpEncryptor.BUFFER_SIZE]);
            in.transferTo(literal);
            litGen.close();
            encGen.close();
        }
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
