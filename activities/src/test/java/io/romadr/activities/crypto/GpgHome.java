package io.romadr.activities.crypto;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away gpg home (GNUPGHOME in a temp dir) for interop tests and the benchmark: every gpg call runs in it
 * with a deadline, a loopback passphrase and no trust questions. gpg missing = test failure, never a skip.
 */
public final class GpgHome implements AutoCloseable {
    private static final long DEADLINE_SECONDS = 120;

    private final Path home;
    private final String passphrase;

    public GpgHome(String passphrase) throws IOException {
        requireGpg();
        // short path: gpg-agent's socket path must stay under ~100 characters
        this.home = Files.createTempDirectory(Path.of("/tmp"), "gpg",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.passphrase = passphrase;
    }

    public Path path() {
        return home;
    }

    /** {@code gpg --quick-gen-key}; returns the new primary key's fingerprint. */
    public String generateKey(String userId, String algo, String usage, String expire, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(Arrays.asList(extraArgs));
        cmd.addAll(List.of("--passphrase", passphrase, "--quick-gen-key", userId, algo, usage, expire));
        run(cmd);
        return fingerprintOf(userId);
    }

    public String fingerprintOf(String userId) throws IOException, InterruptedException {
        String colons = new String(run(List.of("--with-colons", "--list-keys", userId)), StandardCharsets.UTF_8);
        for (String line : colons.split("\n")) {
            if (line.startsWith("fpr:")) {
                return line.split(":")[9]; // the first fpr line is the primary key's
            }
        }
        throw new IllegalStateException("no fingerprint for " + userId + " in:\n" + colons);
    }

    public String exportPublic(String userId) throws IOException, InterruptedException {
        return new String(run(List.of("--armor", "--export", userId)), StandardCharsets.US_ASCII);
    }

    public String exportSecret(String userId) throws IOException, InterruptedException {
        return new String(run(List.of("--passphrase", passphrase, "--armor", "--export-secret-keys", userId)),
                StandardCharsets.US_ASCII);
    }

    /** Imports the revocation certificate gpg wrote when it generated the key: the key is then revoked. */
    public void revoke(String fingerprint) throws IOException, InterruptedException {
        Path rev = home.resolve("openpgp-revocs.d").resolve(fingerprint + ".rev");
        // gpg prefixes the armour line with ':' so that an accidental import does nothing
        String text = Files.readString(rev).replace(":-----BEGIN PGP PUBLIC KEY BLOCK-----",
                "-----BEGIN PGP PUBLIC KEY BLOCK-----");
        Path clean = home.resolve(fingerprint + ".rev.asc");
        Files.writeString(clean, text);
        run(List.of("--import", clean.toString()));
    }

    public void importKey(String armoured) throws IOException, InterruptedException {
        Path file = Files.createTempFile(home, "import", ".asc");
        Files.writeString(file, armoured);
        run(List.of("--import", file.toString()));
    }

    /** {@code gpg --encrypt} to the given fingerprints, with extra options (e.g. --armor, --compress-algo none). */
    public void encrypt(Path in, Path out, List<String> recipients, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("--trust-model", "always", "--yes", "--output", out.toString()));
        cmd.addAll(Arrays.asList(options));
        for (String r : recipients) {
            cmd.add("--recipient");
            cmd.add(r);
        }
        cmd.add("--encrypt");
        cmd.add(in.toString());
        run(cmd);
    }

    public void decrypt(Path in, Path out) throws IOException, InterruptedException {
        run(List.of("--passphrase", passphrase, "--yes", "--output", out.toString(), "--decrypt", in.toString()));
    }

    /** {@code gpg --list-packets}, stdout then stderr (where gpg names the cipher): to check what roma-dr writes. */
    public String listPackets(Path in) throws IOException, InterruptedException {
        Result r = tryRun(List.of("--verbose", "--passphrase", passphrase, "--list-packets", in.toString()));
        if (r.exitCode != 0) {
            fail("gpg --list-packets failed (exit " + r.exitCode + "):\n" + redact(r.stderr));
        }
        return new String(r.stdout, StandardCharsets.UTF_8) + r.stderr;
    }

    /** Runs gpg in this home; returns stdout; fails with stderr on a non-zero exit or after the deadline. */
    public byte[] run(List<String> args) throws IOException, InterruptedException {
        Result r = tryRun(args);
        if (r.exitCode != 0) {
            fail("gpg " + redact(String.join(" ", args)) + " failed (exit " + r.exitCode + "):\n" + redact(r.stderr));
        }
        return r.stdout;
    }

    public record Result(int exitCode, byte[] stdout, String stderr) {
    }

    public Result tryRun(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("GNUPGHOME", home.toString());
        Path err = Files.createTempFile(home, "stderr", ".txt");
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // stdout drained on this thread; stderr goes to a file, so neither pipe can fill up and block gpg
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gpg " + redact(String.join(" ", args)) + " did not finish within " + DEADLINE_SECONDS + " s");
        }
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, stderr);
    }

    private String redact(String text) {
        return text.replace(passphrase, "***");
    }

    static void requireGpg() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "gpg"))) {
                return;
            }
        }
        fail("gpg not found on PATH: the OpenPGP interop tests need GnuPG 2.2+ (apt-get install gnupg)");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // stop the gpg-agent this home started, then remove the home
        ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "gpg-agent");
        pb.environment().put("GNUPGHOME", home.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        // the agent removes its sockets as it exits, possibly while we walk: retry until the home is gone
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Stream<Path> s = Files.walk(home)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(x);
                }
                return;
            } catch (IOException | java.io.UncheckedIOException e) {
                if (!Files.exists(home)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }
}
