package io.romadr.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.digest.Sha256;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.security.EvidenceArtifact;
import io.romadr.scenario.security.EvidenceManifest;
import io.romadr.scenario.security.KnownGoodImage;
import io.romadr.scenario.security.RotationKind;
import io.romadr.scenario.security.RotationResult;
import io.romadr.scenario.security.SecurityIncidentReport;
import io.romadr.worker.CliRun;
import io.romadr.worker.crash.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The security incident end to end on real parts ({@link IncidentFixture}): {@code roma-dr recover security-incident}
 * and {@code roma-dr approve} through the CLI, a worker process with the production wiring. The containers are
 * stopped before their evidence is taken, the evidence and its manifest are in the backup store with matching
 * SHA-256, each Vault path and Secrets Manager secret has exactly one new version with new values, the service runs
 * the backup registry's known-good digest and is healthy, a fresh encrypted secrets export holds the new values, the
 * report has every step with its time and every rotation by name and version, and no old or new value is in the raw
 * history, the worker's log or the CLI's output.
 */
@Tag("integration")
class SecurityIncidentEndToEndTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final ObjectMapper JSON = new ObjectMapper();
    static IncidentFixture fx;
    static WorkerProcess worker;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        fx = new IncidentFixture("sec-e2e", false);
        worker = fx.stack.startWorkerProcess("worker-1", fx.plans, fx.workerEnv);
        System.out.printf("security e2e: servers, sandbox and worker ready in %.1fs%n", (System.nanoTime() - t0)
                / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void containPreserveRotateRedeployVerifyAndExport() throws Exception {
        long t0 = System.nanoTime();
        List<CliRun> cli = new ArrayList<>();
        cli.add(fx.start(COMMIT));
        cli.add(fx.approve("contain", "alice"));
        cli.add(fx.approve("rotate-and-redeploy", "bob"));
        SecurityIncidentReport report = fx.result();
        System.out.printf("security e2e: workflow done in %.1fs%n", (System.nanoTime() - t0) / 1e9);
        String timeline = report.timeline().stream().map(StepRecord::toString).collect(Collectors.joining("\n"));
        assertEquals(Outcome.RECOVERED, report.outcome(), report.summary() + "\n" + timeline);
        assertEquals(List.of("alice", "bob"), report.approvals().stream().map(a -> a.approver()).toList());

        // Contained before the evidence was taken: by the timeline and by the evidence itself.
        StepRecord contain = step(report, "contain");
        StepRecord evidenceStep = step(report, "evidence");
        assertTrue(contain.endedAt() <= evidenceStep.startedAt(), timeline);
        assertTrue(report.containedInTime(), timeline);
        assertEquals(fx.sandbox.services().size(), report.containers().size(), report.containers().toString());

        // The evidence and its manifest in the backup store, every SHA-256 as recorded.
        EvidenceManifest evidence = report.evidence();
        assertTrue(evidence.prefix().startsWith("evidence/" + fx.plan + "/"), evidence.prefix());
        for (EvidenceArtifact a : evidence.artifacts()) {
            byte[] stored = Files.readAllBytes(fx.store.resolve(evidence.prefix() + a.name()));
            assertEquals(a.sha256(), Sha256.hex(stored), a.name());
            assertEquals(a.size(), stored.length, a.name());
            if (a.name().endsWith("/inspect.json")) {
                JsonNode state = JSON.readTree(stored).path("State");
                assertFalse(state.path("Running").asBoolean(true), a.name() + " was taken of a running container: "
                        + state);
            }
        }
        assertEquals(fx.sandbox.services().size(), evidence.artifacts().stream()
                .filter(a -> a.name().endsWith("/inspect.json")).count(), evidence.artifacts().toString());
        byte[] manifest = Files.readAllBytes(fx.store.resolve(evidence.manifestKey()));
        assertEquals(evidence.manifestSha256(), Sha256.hex(manifest));
        for (EvidenceArtifact a : evidence.artifacts()) {
            assertTrue(new String(manifest, java.nio.charset.StandardCharsets.UTF_8).contains(a.sha256()), a.name());
        }

        // Each secret: exactly one new version, every value new.
        List<String> oldValues = new ArrayList<>();
        for (String path : fx.vaultPaths) {
            Map<String, String> before = fx.vaultBefore.get(path);
            Map<String, String> now = fx.vault.read(path).data();
            assertEquals(fx.vaultVersionBefore.get(path) + 1, fx.vault.metadata(path).orElseThrow().currentVersion(),
                    path);
            assertEquals(before.keySet(), now.keySet(), path);
            for (String key : before.keySet()) {
                assertNotEquals(before.get(key), now.get(key), path + " " + key + " was not rotated");
            }
            oldValues.addAll(before.values().stream().filter(v -> v.contains(fx.run)).toList());
        }
        for (String secret : fx.awsNames) {
            java.util.Set<String> versions = fx.allVersionIds(secret);
            assertEquals(fx.awsVersionsBefore.get(secret).size() + 1, versions.size(), secret + ": " + versions);
            String current = fx.secretsManager.versions(secret).current();
            assertNotEquals(fx.awsVersionBefore.get(secret), current, secret);
            String now = fx.secretsManager.read(secret).string();
            JsonNode fresh = JSON.readTree(now);
            assertEquals(List.of("API_KEY"), iterable(fresh.fieldNames()), secret);
            assertFalse(fx.awsBefore.get(secret).contains(fresh.path("API_KEY").asText()), secret);
            oldValues.add(JSON.readTree(fx.awsBefore.get(secret)).path("API_KEY").asText());
        }
        assertEquals(List.of(fx.rotationId()), Files.readAllLines(fx.commandRuns),
                "the rotation command runs once, with the incident's rotation id");

        // The report: every rotation by name and version.
        Map<String, RotationResult> rotations = report.rotations().stream()
                .collect(Collectors.toMap(r -> r.target().name(), r -> r));
        for (String path : fx.vaultPaths) {
            RotationResult r = rotations.get(path);
            assertEquals(RotationKind.VAULT_KV, r.target().kind());
            assertEquals(Integer.toString(fx.vaultVersionBefore.get(path)), r.target().versionBefore());
            assertEquals(Integer.toString(fx.vaultVersionBefore.get(path) + 1), r.versionAfter());
        }
        for (String secret : fx.awsNames) {
            RotationResult r = rotations.get(secret);
            assertEquals(fx.awsVersionBefore.get(secret), r.target().versionBefore());
            assertEquals(fx.secretsManager.versions(secret).current(), r.versionAfter());
        }
        assertEquals(RotationKind.COMMAND, rotations.get(IncidentFixture.COMMAND).target().kind());
        assertEquals(fx.vaultPaths.size() + fx.awsNames.size() + 1, report.rotations().size());

        // Redeployed from the backup registry's digest, healthy.
        KnownGoodImage image = report.images().images().get(0);
        assertEquals(fx.knownGoodDigest, image.digest());
        assertEquals(fx.knownGoodImageId, image.imageId());
        for (String service : fx.sandbox.services()) {
            String id = fx.sandbox.containerId(service);
            var inspected = fx.docker.inspectContainerCmd(id).exec();
            assertTrue(inspected.getState().getRunning(), service);
            assertEquals(fx.knownGoodImageId, inspected.getImageId(), service + " does not run the known-good image");
            assertNotEquals(fx.compromisedImageId, inspected.getImageId(), service);
            assertEquals(200, status(fx.sandbox.healthUrl(service)), service);
        }
        assertEquals(COMMIT, report.knownGoodCommit());

        // A fresh encrypted secrets export of the new values.
        Path export = fx.store.resolve(report.secretsBackup());
        assertTrue(Files.isRegularFile(export), report.secretsBackup());
        Path clear = fx.dir.resolve("export.clear");
        fx.gpg.decrypt(export, clear);
        String exported = Files.readString(clear);
        Files.delete(clear);
        for (String value : fx.currentValues()) {
            String probe = value.startsWith("{") ? JSON.readTree(value).path("API_KEY").asText() : value;
            assertTrue(exported.contains(probe), "the fresh export lacks a new value");
        }
        for (String value : oldValues) {
            assertFalse(exported.contains(value), "the fresh export holds an old value");
        }

        // The report as an SRE reads it: every step with its time, every rotation by name and version.
        CliRun md = fx.stack.cli("report", fx.workflowId);
        cli.add(md);
        assertEquals(0, md.exit(), md::toString);
        assertTrue(md.out().contains("### Timeline"), md.out());
        for (StepRecord s : report.timeline()) {
            String row = "| " + ReportFormatter.clock(s.startedAt() - report.startedAt()) + " | " + s.step() + " | ";
            assertTrue(md.out().contains(row), "report lacks the timeline row " + row + ":\n" + md.out());
        }
        assertTrue(md.out().contains("against a target of 10:00 (met)"), md.out());
        for (RotationResult r : report.rotations()) {
            assertTrue(md.out().contains(r.target().name()), md.out());
            assertTrue(r.versionAfter().isEmpty() || md.out().contains(r.versionAfter()), md.out());
        }
        assertTrue(report.timeline().stream().filter(s -> s.outcome() == StepOutcome.OK)
                .allMatch(s -> s.endedAt() >= s.startedAt() && s.startedAt() > 0), timeline);

        // No value, old or new, in the raw history (the incident's and its secrets backup's), the worker's log or
        // anything the CLI printed.
        List<String> newValues = new ArrayList<>();
        for (String value : fx.currentValues()) {
            newValues.add(value.startsWith("{") ? JSON.readTree(value).path("API_KEY").asText() : value);
        }
        String histories = IncidentFixture.text(fx.rawHistory(fx.workflowId)) + IncidentFixture.text(fx.rawHistory(
                fx.workflowId + "-secrets-backup"));
        assertTrue(histories.contains(fx.vaultPaths.get(0)), "the history names the secrets (sanity check)");
        String log = worker.logText();
        assertTrue(log.contains("rotation"), "the worker logged the rotation (sanity check)");
        for (String value : concat(oldValues, newValues)) {
            assertFalse(histories.contains(value), "a secret value is in the raw history");
            assertFalse(log.contains(value), "a secret value is in the worker's log " + worker.logFile());
            assertTrue(cli.stream().noneMatch(c -> c.out().contains(value) || c.err().contains(value)),
                    "a secret value is in the CLI's output");
        }
        System.out.printf("security e2e: checks done at %.1fs%n", (System.nanoTime() - t0) / 1e9);
    }

    static StepRecord step(SecurityIncidentReport report, String name) {
        return report.timeline().stream().filter(s -> s.step().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + report.timeline()));
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static int status(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
