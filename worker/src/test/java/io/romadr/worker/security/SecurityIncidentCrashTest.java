package io.romadr.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.security.RotationResult;
import io.romadr.scenario.security.SecurityIncidentReport;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.crash.WorkerProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the worker (a JVM of its own) inside a credential rotation, at the worst moment: its new Vault version is
 * written (the {@link VaultGate} passed the write to OpenBao) but the answer never reached the worker, so the activity
 * is not complete. A second worker takes the run over after the rotation's heartbeat timeout and finishes it; every
 * secret was rotated exactly once (Vault: the current version is the one before plus one; Secrets Manager: one new
 * version), the interrupted rotation is reported as done by the earlier attempt, the rest of the report is right.
 */
@Tag("integration")
class SecurityIncidentCrashTest {
    static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";
    static IncidentFixture fx;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        fx = new IncidentFixture("sec-crash", true);
        System.out.printf("security crash: servers and sandbox ready in %.1fs%n", (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killedInsideAVaultRotationRotatesEachSecretOnce() throws Exception {
        String held = fx.vaultPaths.get(0);
        int heldBefore = fx.vaultVersionBefore.get(held);
        fx.vaultGate.holdNextPost("/v1/secret/data/" + held);
        WorkerProcess first = fx.stack.startWorkerProcess("worker-1", fx.plans, fx.workerEnv);
        fx.start(COMMIT);
        fx.approve("contain", "alice");
        fx.approve("rotate-and-redeploy", "bob");

        EmbeddedStack.eventually(Duration.ofSeconds(90), () -> fx.vaultGate.holding() ? true : null,
                () -> "worker-1 never wrote " + held + "; steps: " + fx.workflow().progress().timeline());
        assertEquals(heldBefore + 1, fx.vault.metadata(held).orElseThrow().currentVersion(),
                "the held write must have reached OpenBao before the kill");
        long killed = System.nanoTime();
        first.kill9();
        assertFalse(first.isAlive(), "worker-1 survived SIGKILL");
        WorkerProcess second = fx.stack.startWorkerProcess("worker-2", fx.plans, fx.workerEnv);

        SecurityIncidentReport report = fx.result();
        System.out.printf("security crash: kill -9 in the rotation of %s -> completed on worker-2 in %.1fs%n", held,
                (System.nanoTime() - killed) / 1e9);
        String timeline = report.timeline().stream().map(StepRecord::toString).collect(Collectors.joining("\n"));
        assertEquals(Outcome.RECOVERED, report.outcome(), report.summary() + "\n" + timeline);
        assertTrue(second.isAlive());

        // Exactly once: one new version of every secret, every value new.
        for (String path : fx.vaultPaths) {
            assertEquals(fx.vaultVersionBefore.get(path) + 1, fx.vault.metadata(path).orElseThrow()
                    .currentVersion(), path + " was not rotated exactly once");
            Map<String, String> now = fx.vault.read(path).data();
            fx.vaultBefore.get(path).forEach((key, old) -> assertNotEquals(old, now.get(key), path + " " + key));
        }
        for (String secret : fx.awsNames) {
            Set<String> versions = fx.allVersionIds(secret);
            assertEquals(fx.awsVersionsBefore.get(secret).size() + 1, versions.size(), secret + ": " + versions);
            assertNotEquals(fx.awsVersionBefore.get(secret), fx.secretsManager.versions(secret).current(), secret);
            assertNotEquals(fx.awsBefore.get(secret), fx.secretsManager.read(secret).string(), secret);
        }
        // The command comes after the Vault paths: it ran once, with the incident's rotation id.
        assertEquals(List.of(fx.rotationId()), Files.readAllLines(fx.commandRuns));

        // The report: the interrupted rotation took two attempts and found its own write; the others wrote theirs.
        Map<String, RotationResult> rotations = report.rotations().stream()
                .collect(Collectors.toMap(r -> r.target().name(), r -> r));
        assertEquals(fx.vaultPaths.size() + fx.awsNames.size() + 1, rotations.size(), rotations.toString());
        RotationResult interrupted = rotations.get(held);
        assertTrue(interrupted.alreadyRotated(), interrupted.toString());
        assertEquals(Integer.toString(heldBefore + 1), interrupted.versionAfter());
        StepRecord step = SecurityIncidentEndToEndTest.step(report, "rotate " + held);
        assertEquals(StepOutcome.OK, step.outcome(), timeline);
        // The server's account: one Rotate per credential, and exactly one of them took a second attempt.
        int[] rotate = attempts("Rotate");
        assertEquals(rotations.size(), rotate[0], "Rotate activities scheduled");
        assertEquals(rotations.size() + 1, rotate[1], "Rotate attempts (one lost with worker-1)");
        for (RotationResult r : report.rotations()) {
            if (!r.target().name().equals(held)) {
                assertFalse(r.alreadyRotated(), r.toString());
            }
        }
        for (String path : fx.vaultPaths) {
            assertEquals(Integer.toString(fx.vaultVersionBefore.get(path) + 1), rotations.get(path).versionAfter());
        }
        for (String secret : fx.awsNames) {
            assertEquals(fx.secretsManager.versions(secret).current(), rotations.get(secret).versionAfter());
        }

        // And the rest of the run: redeployed from the known-good digest, healthy, a fresh export.
        for (String service : fx.sandbox.services()) {
            assertEquals(fx.knownGoodImageId, fx.docker.inspectContainerCmd(fx.sandbox.containerId(service)).exec()
                    .getImageId(), service);
            assertEquals(200, SecurityIncidentEndToEndTest.status(fx.sandbox.healthUrl(service)), service);
        }
        assertTrue(Files.isRegularFile(fx.store.resolve(report.secretsBackup())), report.secretsBackup());
    }

    /** {scheduled, attempts} of one activity type in the incident's history (each start carries its attempt). */
    private static int[] attempts(String activityType) {
        Map<Long, String> types = new java.util.HashMap<>();
        int scheduled = 0;
        int attempts = 0;
        for (var e : fx.stack.client().fetchHistory(fx.workflowId).getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()) {
                String type = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
                types.put(e.getEventId(), type);
                scheduled += type.equals(activityType) ? 1 : 0;
            } else if (e.hasActivityTaskStartedEventAttributes()) {
                var started = e.getActivityTaskStartedEventAttributes();
                attempts += activityType.equals(types.get(started.getScheduledEventId())) ? started.getAttempt() : 0;
            }
        }
        return new int[]{scheduled, attempts};
    }
}
