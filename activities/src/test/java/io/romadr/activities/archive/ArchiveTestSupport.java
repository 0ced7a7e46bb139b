package io.romadr.activities.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Real tar/gzip binaries (missing = failure, never a skip), tree snapshots, test data. */
final class ArchiveTestSupport {

    private ArchiveTestSupport() {
    }

    static String require(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(binary + " not found on PATH: the archive interop tests need the real " + binary + " binary");
        return null;
    }

    /** Runs a command, returns stdout+stderr; fails the test on a non-zero exit. */
    static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        require(cmd[0]);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + text);
        return text;
    }

    /** path -> "type mode size sha256 | link target" for every entry below root (root itself excluded). */
    static TreeMap<String, String> snapshot(Path root) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String mode = Integer.toOctalString(ArchiveWriter.permissionBits(a.permissions()));
                String v;
                if (a.isSymbolicLink()) {
                    v = "link -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    v = "dir " + mode + " mtime=" + a.lastModifiedTime().toMillis() / 1000;
                } else {
                    v = "file " + mode + " " + a.size() + " " + sha256(p) + " mtime="
                            + a.lastModifiedTime().toMillis() / 1000;
                }
                m.put(root.relativize(p).toString(), v);
            }
        }
        return m;
    }

    /** Names (recursively) below a directory: to prove nothing appeared or was left behind. */
    static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return sha256(in);
        }
    }

    static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) != -1) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Mixed data: alternating compressible text and random runs. */
    static byte[] mixed(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        int i = 0;
        while (i < size) {
            int run = Math.min(size - i, 4096 + r.nextInt(200_000));
            if (r.nextBoolean()) {
                byte[] rnd = new byte[run];
                r.nextBytes(rnd);
                System.arraycopy(rnd, 0, b, i, run);
            } else {
                byte[] text = ("line " + r.nextInt(1000) + " roma-dr state snapshot lorem ipsum dolor sit amet\n")
                        .getBytes(StandardCharsets.US_ASCII);
                for (int j = 0; j < run; j++) {
                    b[i + j] = text[j % text.length];
                }
            }
            i += run;
        }
        return b;
    }
}
