package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.worker.crash.WorkerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host's {@code check} and {@code server} and the bare {@code worker}, run for real in their own JVM on a
 * plans directory with a broken plan of several kinds: each prints one {@code file:line: field: problem} line per
 * broken plan on stderr, no stack trace, and exits non-zero; {@code check} on the shipped plans still says OK.
 */
@org.junit.jupiter.api.Tag("integration")
class PlanErrorsAtStartTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path WORKER_YML = REPO.resolve("deploy/worker.yml");

    @TempDir
    static Path plans;
    static List<String> expected;

    @BeforeAll
    static void brokenPlans() throws IOException {
        String roma = Files.readString(REPO.resolve("deploy/plans/roma.yaml"));
        write("a-empty.yaml", "---\n# nothing\n");
        write("b-negative.yaml", roma.replace("name: roma", "name: b-negative").replace("  service: 15m",
                "  service: -900"));
        write("c-duplicate.yaml", roma.replace("name: roma", "name: c-duplicate") + "name: again\n");
        byte[] latin1 = roma.replace("name: roma", "name: d-latin1").replace("ROMA service", "ROMA s\u00e9rvice")
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(plans.resolve("d-latin1.yaml"), latin1);
        try (var out = Files.newOutputStream(plans.resolve("e-huge.yaml"))) {
            byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 1100; i++) {
                out.write(line);
            }
        }
        write("f-secret.yaml", roma.replace("name: roma", "name: f-secret").replace(
                "        restartPolicy: unless-stopped",
                "        restartPolicy: unless-stopped\n        env: {DB_PASSWORD: canary-s3cr3t}"));
        expected = List.of(
                plans.resolve("a-empty.yaml") + ":1: the plan is empty",
                plans.resolve("b-negative.yaml") + ":" + lineOf(roma, "  service: 15m")
                        + ": rto.service: a duration cannot be negative",
                plans.resolve("c-duplicate.yaml") + ":" + (roma.lines().count() + 1) + ": name: this key appears twice",
                plans.resolve("d-latin1.yaml") + ":" + lineOf(roma, "ROMA service") + ": not UTF-8",
                plans.resolve("e-huge.yaml") + ": the file is larger than 1 MiB",
                plans.resolve("f-secret.yaml") + ":" + (lineOf(roma, "restartPolicy: unless-stopped") + 1)
                        + ": service.containers[0].template.env.DB_PASSWORD: a literal value under a secret-looking");
    }

    @Test
    void checkRefusesTheBrokenPlansDirectory() throws Exception {
        Run r = run(List.of("check", WORKER_YML.toString()));
        assertNotEquals(0, r.exit, r.output());
        assertOneLinePerPlan(r);
        assertFalse(r.output().contains("Configuration is OK") || r.output().contains("Plans are OK"), r.output());
    }

    @Test
    void serverRefusesToStart() throws Exception {
        Run r = run(List.of("server", WORKER_YML.toString()));
        assertNotEquals(0, r.exit, r.output());
        assertOneLinePerPlan(r);
    }

    @Test
    void theBareWorkerRefusesToStart() throws Exception {
        Run r = run(List.of("worker", "--plans", plans.toString(), "--address", "127.0.0.1:1"));
        assertEquals(2, r.exit, r.output());
        assertOneLinePerPlan(r);
    }

    @Test
    void aMissingPlansDirectoryIsOneLineToo() throws Exception {
        Path missing = plans.resolve("nosuch");
        for (List<String> args : List.of(List.of("check", WORKER_YML.toString()),
                List.of("worker", "--plans", missing.toString(), "--address", "127.0.0.1:1"))) {
            Run r = run(args, missing);
            assertNotEquals(0, r.exit, r.output());
            assertEquals(List.of(missing + ": the plans directory does not exist"), r.stderrLines(), r.output());
        }
    }

    @Test
    void checkAcceptsTheShippedPlans() throws Exception {
        Run r = run(List.of("check", WORKER_YML.toString()), REPO.resolve("deploy/plans"));
        assertEquals(0, r.exit, r.output());
        assertTrue(r.stdout().contains("Plans are OK: [roma] in " + REPO.resolve("deploy/plans")), r.output());
        assertEquals(List.of(), r.stderrLines(), r.output());
    }

    @Test
    void aRouteToAPlanThatDoesNotExistIsOneLine() throws Exception {
        String routes = "[{matchers: {alertname: RomaDown}, plan: nosuch, scenario: service-failure}]";
        for (String command : List.of("check", "server")) {
            Run r = run(List.of(command, WORKER_YML.toString()), REPO.resolve("deploy/plans"),
                    Map.of("ROMA_DR_ALERT_ROUTES", routes));
            assertNotEquals(0, r.exit, r.output());
            assertEquals(1, r.stderrLines().size(), r.output());
            assertTrue(r.stderrLines().get(0).startsWith(
                    "webhooks.alertmanager.routes[0].plan: no plan \"nosuch\" in the plans directory"), r.output());
            assertFalse(r.output().contains("at io.") || r.output().contains("Plans are OK"), r.output());
        }
    }

    private static void assertOneLinePerPlan(Run r) {
        List<String> lines = r.stderrLines();
        assertEquals(expected.size(), lines.size(), r.output());
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(lines.get(i).startsWith(expected.get(i)), "expected " + expected.get(i) + "...\n got "
                    + lines.get(i));
        }
        assertFalse(r.output().contains("at io.") || r.output().contains("Exception"), r.output());
        assertFalse(r.output().contains("canary-s3cr3t"), "a refused secret is not repeated: " + r.output());
    }

    record Run(int exit, String stdout, String stderr) {
        String output() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }

        /** stderr without the JVM's own warnings (e.g. about agents), which are not ours to judge. */
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING:")).toList();
        }
    }

    private static Run run(List<String> args) throws Exception {
        return run(args, plans);
    }

    private static Run run(List<String> args, Path plansDir) throws Exception {
        return run(args, plansDir, Map.of());
    }

    private static Run run(List<String> args, Path plansDir, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", WorkerProcess.classpath(),
                "io.romadr.worker.WorkerMain"));
        cmd.addAll(args);
        Path out = Files.createTempFile(plans.getParent(), "out", ".txt");
        Path err = Files.createTempFile(plans.getParent(), "err", ".txt");
        ProcessBuilder b = new ProcessBuilder(cmd).directory(REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // free ports: a server that wrongly started must not collide with anything
        b.environment().putAll(Map.of("ROMA_DR_PLANS", plansDir.toString(), "ROMA_DR_PORT", "0",
                "ROMA_DR_ADMIN_PORT", "0", "TEMPORAL_ADDRESS", "127.0.0.1:1"));
        b.environment().putAll(env);
        Process p = b.start();
        try {
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                throw new AssertionError(args.get(0) + " still runs after 90 s: it did not refuse the plans\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static int lineOf(String text, String part) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + part);
    }

    private static void write(String name, String text) throws IOException {
        Files.writeString(plans.resolve(name), text);
    }
}
