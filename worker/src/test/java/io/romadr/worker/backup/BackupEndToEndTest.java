package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.EmbeddedStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup commands end to end, as an SRE runs them: the CLI, the real worker wiring (production activities), an
 * embedded Temporal server, the real Docker engine (a container with its state and artifacts on bind mounts) and a
 * local object store. Backup, list, lose data, restore; a corrupted newest backup is listed as CORRUPT and a restore
 * falls back to the older one; retention keeps what it must.
 */
@org.junit.jupiter.api.Tag("integration")
class BackupEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-backup-e2e";
    static EmbeddedStack stack;
    static DockerClient docker;
    static Path root;
    static String project;
    static String container;
    static final String PLAN = "e2e";

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        docker = DockerTestSupport.dockerWithSandboxImage();
        project = "romadr-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        Path state = Files.createDirectories(root.resolve("state"));
        Path out = Files.createDirectories(root.resolve("out"));
        Files.createDirectories(state.resolve("runs/2026"));
        Files.writeString(state.resolve("runs/2026/last.json"), "{\"run\":41}");
        Files.writeString(state.resolve("cursor"), "41\n");
        Files.writeString(out.resolve("a.json"), "{\"a\":1}");
        Files.writeString(out.resolve("b.json"), "{\"b\":2}");
        Files.writeString(out.resolve("scratch.tmp"), "not an artifact");
        Path plans = Files.createDirectories(root.resolve("plans"));
        Path store = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks:
                    - name: state-present
                      exec: { service: app, command: [cat, /data/state/cursor], timeout: 5s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /data/state }
                  artifacts: { service: app, path: /data/out, include: ["*.json"] }
                """.formatted(PLAN, project, store.toUri()));
        container = stack.sandbox(docker, project, "app", Map.of("/data/state", state, "/data/out", out),
                Map.of("io.romadr.sandbox", "true"));
        stack.startWorker(plans, docker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static CliRun cli(String... args) {
        return stack.cli(args);
    }

    static String objectKey(CliRun run) {
        Matcher m = Pattern.compile("- \\*\\*Object:\\*\\* (\\S+)").matcher(run.out());
        assertTrue(m.find(), run::toString);
        return m.group(1);
    }

    /** The access audit through the real worker: a store directory every local user can read, then a private one. */
    @Test
    void theAccessAuditFindsAWorldReadableStoreAndPassesOnceItIsPrivate() throws Exception {
        Path store = root.resolve("store");
        java.util.Set<java.nio.file.attribute.PosixFilePermission> before = Files.getPosixFilePermissions(store);
        try {
            Files.setPosixFilePermissions(store, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            CliRun open = cli("backups", "audit", "--plan", PLAN);
            assertEquals(1, open.exit(), open::toString);
            assertTrue(open.out().contains("| CRITICAL | main " + store.toUri() + " | directory permissions | " + store
                    + " rwxr-xr-x owner "), open::toString);
            Files.setPosixFilePermissions(store, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            CliRun closed = cli("backups", "audit", "--plan", PLAN);
            assertEquals(0, closed.exit(), closed::toString);
            assertTrue(closed.out().contains("No finding above INFO"), closed::toString);
        } finally {
            Files.setPosixFilePermissions(store, before);
        }
    }

    @Test
    void backupListLoseRestoreCorruptFallBackAndRetain() throws Exception {
        Path state = root.resolve("state");
        Path out = root.resolve("out");
        Path store = root.resolve("store");

        CliRun first = cli("backup", "state", "--plan", PLAN, "--wait");
        assertEquals(0, first.exit(), first::toString);
        String firstKey = objectKey(first);
        assertTrue(first.out().contains("- **Read back:** ok"), first::toString);
        CliRun artifacts = cli("backup", "artifacts", "--plan", PLAN, "--wait");
        assertEquals(0, artifacts.exit(), artifacts::toString);
        assertTrue(artifacts.out().contains("- **Files:** 2"), artifacts::toString);

        // The stored state snapshot is a plain tar.gz.
        Path untar = Files.createDirectories(root.resolve("untar"));
        Process tar = new ProcessBuilder("tar", "xzf", store.resolve(firstKey).toString(), "-C", untar.toString())
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes()));
        assertEquals("{\"run\":41}", Files.readString(untar.resolve("runs/2026/last.json")));

        // State moves on and a second snapshot is taken.
        Files.writeString(state.resolve("cursor"), "42\n");
        CliRun second = cli("backup", "state", "--plan", PLAN, "--wait");
        assertEquals(0, second.exit(), second::toString);
        String secondKey = objectKey(second);

        CliRun list = cli("backups", "list", "--plan", PLAN);
        assertEquals(0, list.exit(), list::toString);
        CliRun verified = cli("backups", "verify", "--plan", PLAN);
        assertEquals(0, verified.exit(), verified::toString);
        assertTrue(verified.out().contains("| state | integrity | OK | " + secondKey + ": sha256 and size match"),
                verified::toString);
        assertTrue(verified.out().contains("| artifacts | freshness | OK |"), verified::toString);
        for (String key : List.of(firstKey, secondKey)) {
            assertTrue(Pattern.compile("(?m)^state .* ok\\s+" + Pattern.quote(key) + "$").matcher(list.out()).find(),
                    list::toString);
        }

        // Disaster: the state is wiped.
        try (Stream<Path> files = Files.list(state)) {
            for (Path p : files.toList()) {
                deleteTree(p);
            }
        }
        CliRun restore = cli("restore", "state", "--plan", PLAN, "--wait");
        assertEquals(0, restore.exit(), restore::toString);
        assertTrue(restore.out().contains("- **Restored from:** " + secondKey), restore::toString);
        assertEquals("42\n", Files.readString(state.resolve("cursor")));
        assertEquals("{\"run\":41}", Files.readString(state.resolve("runs/2026/last.json")));
        assertTrue(restore.out().contains("| wait-healthy | Success"), restore::toString);

        // The newest snapshot gets one byte flipped in the store: listed as CORRUPT, and a restore falls back.
        Path newest = store.resolve(secondKey);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(newest, bytes);
        CliRun corrupt = cli("backups", "list", "--plan", PLAN, "--kind", "state");
        assertEquals(1, corrupt.exit(), corrupt::toString);
        assertTrue(corrupt.out().contains("CORRUPT " + secondKey + ": "), corrupt::toString);
        CliRun weekly = cli("backups", "verify", "--plan", PLAN);
        assertEquals(1, weekly.exit(), weekly::toString);
        assertTrue(weekly.out().contains("| state | integrity | CORRUPT | " + secondKey + ": sha256 mismatch"),
                weekly::toString);
        assertTrue(weekly.out().contains("| artifacts | integrity | OK |"), weekly::toString);
        Files.writeString(state.resolve("cursor"), "garbage\n");
        CliRun fallback = cli("restore", "state", "--plan", PLAN, "--wait");
        assertEquals(0, fallback.exit(), fallback::toString);
        assertTrue(fallback.out().contains("- **Refused:** " + secondKey), fallback::toString);
        assertTrue(fallback.out().contains("- **Restored from:** " + firstKey), fallback::toString);
        assertEquals("41\n", Files.readString(state.resolve("cursor")));

        // Only one artifact is damaged: restoring just it leaves the other alone.
        Files.writeString(out.resolve("a.json"), "{\"a\":");
        Files.writeString(out.resolve("b.json"), "{\"b\":3}");
        CliRun one = cli("restore", "artifacts", "--plan", PLAN, "--only", "a.json", "--wait");
        assertEquals(0, one.exit(), one::toString);
        assertEquals("{\"a\":1}", Files.readString(out.resolve("a.json")));
        assertEquals("{\"b\":3}", Files.readString(out.resolve("b.json")));
        assertEquals("not an artifact", Files.readString(out.resolve("scratch.tmp")));

        // Retention (seed rules): nothing here is old enough to go; the corrupt newest is not "the newest good".
        CliRun retention = cli("retention", "--plan", PLAN, "--dry-run", "--wait");
        assertEquals(0, retention.exit(), retention::toString);
        assertTrue(retention.out().lines().anyMatch(l -> l.contains("| keep | newest verified backup (always kept)")
                && l.endsWith(firstKey + " |")), retention::toString);
        assertTrue(retention.out().contains("Dry run: would delete 0 backup(s)"), retention::toString);
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
