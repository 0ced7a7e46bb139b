package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.backup.ArtifactFiles;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2's drill through {@link DockerDrillActivities} on a real container: JSON artifacts in a bind-mounted
 * directory, corrupted once per fault, and the verification's data loss after a repair as the scenario does it.
 */
@org.junit.jupiter.api.Tag("integration")
class ArtifactFaultsTest {
    private static final int ARTIFACTS = 20;

    private final DockerClient docker = DockerTestSupport.docker();
    private final String project = "romadr-drill-art-" + UUID.randomUUID().toString().substring(0, 8);
    @TempDir
    Path tmp;
    private Path data;
    private String container;
    private TestActivityEnvironment env;
    private DrillActivities drill;

    @BeforeEach
    void setUp() throws IOException {
        SandboxImage.ensure(docker);
        data = Files.createDirectories(tmp.resolve("out"));
        for (int i = 0; i < ARTIFACTS; i++) {
            Files.writeString(data.resolve(name(i)), original(i));
        }
        Files.writeString(data.resolve("notes.txt"), "not an artifact {");
        Path plans = Files.createDirectories(tmp.resolve("plans/schemas"));
        Files.writeString(plans.resolve("run.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "required": ["id", "ok"], "properties": {"id": {"type": "integer"}, "ok": {"type": "boolean"}}}
                """);
        container = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true)
                        .withBinds(new Bind(data.toString(), new Volume("/data/out"))))
                .exec().getId();
        docker.startContainerCmd(container).exec();
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(docker, null, null, null,
                List.of(new ArtifactFaults(new ArtifactFiles(docker, tmp.resolve("plans"))))));
        drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        if (container != null) {
            docker.removeContainerCmd(container).withForce(true).exec();
        }
        env.close();
    }

    @Test
    void aTruncationIsInjectedOnceAndARestoreOfTheSameFilesLosesNothing() throws IOException {
        RecoveryPlan plan = plan("*.json");
        DrillState before = drill.documentState(new DocumentStateRequest("data-corruption", plan));
        assertEquals(ARTIFACTS, before.fingerprints().size(), before.fingerprints().toString());
        assertEquals(Sha256.hex(original(7)), before.fingerprints().get(
                "artifact:run-07.json"));
        long bytes = 0;
        for (int i = 0; i < ARTIFACTS; i++) {
            bytes += original(i).length();
        }
        assertTrue(before.lines().contains("artifacts app:/data/out [*.json]: 20 file(s), " + bytes
                + " bytes, all valid"), before.lines().toString());

        FaultResult first = drill.injectFault(new FaultRequest("data-corruption", plan, "truncate", "", 0));
        assertTrue(first.injected(), first.detail());
        assertEquals("truncated 3 of 20 artifacts in artifacts app:/data/out [*.json]: run-00.json, run-01.json,"
                + " run-02.json", first.detail());
        Map<String, String> broken = snapshot();
        assertArrayEquals(ArtifactFaults.TRUNCATED, Files.readAllBytes(data.resolve("run-01.json")));
        assertEquals(original(3), broken.get("run-03.json"));

        // A retry (its worker died after the writes) finds them broken and breaks nothing more.
        FaultResult again = drill.injectFault(new FaultRequest("data-corruption", plan, "truncate", "", 0));
        assertFalse(again.injected(), again.detail());
        assertEquals("3 of 20 artifacts already corrupted by an earlier attempt: run-00.json, run-01.json,"
                + " run-02.json", again.detail());
        assertEquals(broken, snapshot());

        DrillVerification down = drill.verifyRecovered(new VerifyRecoveredRequest("data-corruption", plan, before));
        assertFalse(down.ok());
        assertEquals(3, down.problems().size(), down.problems().toString());
        assertTrue(down.problems().get(0).startsWith("artifact run-00.json invalid: line 1"), down.problems()
                .toString());
        assertTrue(down.checks().contains("artifacts app:/data/out [*.json]: 17 of 20 artifacts valid"),
                down.checks().toString());

        // The scenario restores the three files from a backup taken before the fault.
        for (int i = 0; i < 3; i++) {
            Files.writeString(data.resolve(name(i)), original(i));
        }
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("data-corruption", plan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertEquals("None", up.dataLoss());
        assertTrue(up.checks().contains("20 of 20 artifacts identical to before the fault"), up.checks().toString());
    }

    @Test
    void widespreadCorruptionRegeneratedWithOtherContentIsDataLossAndASchemaViolationIsAProblem()
            throws IOException {
        RecoveryPlan plan = plan("*.json");
        DrillState before = drill.documentState(new DocumentStateRequest("data-corruption", plan));

        FaultResult first = drill.injectFault(new FaultRequest("data-corruption", plan, "widespread", "", 0));
        assertTrue(first.injected(), first.detail());
        assertTrue(first.detail().startsWith("overwrote with garbage 19 of 20 artifacts in"), first.detail());
        assertArrayEquals(ArtifactFaults.GARBAGE, Files.readAllBytes(data.resolve("run-18.json")));
        assertEquals(original(19), Files.readString(data.resolve("run-19.json")));
        FaultResult again = drill.injectFault(new FaultRequest("data-corruption", plan, "widespread", "", 0));
        assertFalse(again.injected(), again.detail());
        assertTrue(again.detail().startsWith("19 of 20 artifacts already corrupted by an earlier attempt"),
                again.detail());

        // Regenerated (no clean backup): valid, but not the bytes from before; one breaks the plan's schema.
        for (int i = 0; i < 19; i++) {
            Files.writeString(data.resolve(name(i)), "{\"id\": " + i + ", \"ok\": true, \"regenerated\": true}\n");
        }
        Files.writeString(data.resolve(name(5)), "{\"id\": \"5\", \"ok\": true}\n");
        DrillVerification bad = drill.verifyRecovered(new VerifyRecoveredRequest("data-corruption", plan, before));
        assertFalse(bad.ok());
        assertEquals(1, bad.problems().size(), bad.problems().toString());
        assertTrue(bad.problems().get(0).startsWith("artifact run-05.json invalid: schema: "), bad.problems()
                .toString());

        Files.writeString(data.resolve(name(5)), "{\"id\": 5, \"ok\": true, \"regenerated\": true}\n");
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("data-corruption", plan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertEquals("19 of 20 artifacts differ from before the fault (restored from an older backup or"
                + " regenerated): run-00.json, run-01.json, run-02.json, run-03.json, run-04.json, run-05.json,"
                + " run-06.json, run-07.json, run-08.json, run-09.json and 9 more", up.dataLoss());

        Files.delete(data.resolve(name(19)));
        DrillVerification gone = drill.verifyRecovered(new VerifyRecoveredRequest("data-corruption", plan,
                before));
        assertFalse(gone.ok());
        assertEquals("artifact run-19.json missing (it was there before the fault)", gone.problems().get(0));
        assertTrue(gone.dataLoss().endsWith("; 1 of 20 artifacts missing: run-19.json"), gone.dataLoss());
    }

    @Test
    void noArtifactsToCorruptIsANonRetryableFailure() {
        RecoveryPlan plan = plan("*.csv");
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> drill.injectFault(new FaultRequest(
                "data-corruption", plan, "truncate", "", 0)));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertEquals(ArtifactFaults.NO_ARTIFACTS, cause.getType());
        assertTrue(cause.getOriginalMessage().startsWith("no artifacts to corrupt in artifacts app:/data/out"
                + " [*.csv]"), cause.getOriginalMessage());
    }

    private RecoveryPlan plan(String include) {
        return new PlanLoader().parse("t.yaml", """
                name: t
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, exec: { service: app, command: [true] } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  artifacts:
                    service: app
                    path: /data/out
                    include: ["%s"]
                    recovery: { schema: schemas/run.json }
                """.formatted(project, tmp.resolve("store").toUri(), include));
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < ARTIFACTS; i++) {
            out.put(name(i), Files.readString(data.resolve(name(i))));
        }
        return out;
    }

    private static String name(int i) {
        return String.format("run-%02d.json", i);
    }

    private static String original(int i) {
        return "{\"id\": " + i + ", \"ok\": true}\n";
    }
}
