package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanRepository;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 1 end to end on the real engine: the real workflow, the real Docker activities and plan activities, on
 * the SDK's in-memory Temporal test server, against a sandbox ROMA service with a fault injected.
 */
@org.junit.jupiter.api.Tag("integration")
class ServiceRecoveryDockerTest {
    private static final String QUEUE = "roma-dr-docker-it";
    private static DockerClient docker;
    private static TestWorkflowEnvironment env;
    @TempDir
    static Path plans;

    private SandboxService sandbox;

    @BeforeAll
    static void startTemporal() {
        docker = DockerTestSupport.docker();
        SandboxImage.ensure(docker);
        env = TestWorkflowEnvironment.newInstance();
        env.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner()),
                new PlanDirectoryActivities(new PlanRepository(plans)));
        env.start();
    }

    @AfterAll
    static void stopTemporal() {
        if (env != null) {
            env.close();
        }
    }

    @AfterEach
    void destroySandbox() {
        if (sandbox != null) {
            sandbox.destroy();
        }
    }

    /** A fresh sandbox and its plan file; returns the plan name. */
    private String sandboxWithPlan() throws Exception {
        String project = DockerTestSupport.project();
        sandbox = SandboxService.create(docker, project, SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults());
        String plan = project.replace("romadr-it-", "it-");
        Files.writeString(plans.resolve(plan + ".yaml"),
                sandbox.planYaml(plan, "15m", "20s", "500ms", "5s", "2s", "1s"));
        return plan;
    }

    private ServiceRecoveryReport recover(String plan) {
        ServiceRecoveryWorkflow wf = env.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
                        .setWorkflowId("recover-" + plan + "-" + System.nanoTime()).build());
        ServiceRecoveryReport report = wf.recover(new ServiceRecoveryRequest(plan, "integration test", "junit"));
        System.out.println(ReportFormatter.markdown(report));
        return report;
    }

    private static Map<String, StepOutcome> firstRound(ServiceRecoveryReport r) {
        return r.timeline().stream().filter(s -> s.round() == 1)
                .collect(Collectors.toMap(StepRecord::step, StepRecord::outcome, (a, b) -> a));
    }

    private static String steps(ServiceRecoveryReport r) {
        return r.timeline().stream().map(s -> s.step() + "=" + s.outcome()).collect(Collectors.joining(", "));
    }

    private void assertRecoveredAndServing(ServiceRecoveryReport r, String by) {
        assertEquals(Outcome.RECOVERED, r.outcome(), () -> r.summary() + "\n" + steps(r));
        assertTrue(r.summary().startsWith("Recovered by " + by), r.summary());
        assertFalse(r.rtoBreached());
        for (String s : sandbox.services()) {
            assertEquals(200, DockerTestSupport.status(sandbox.healthUrl(s)), s + " /health after recovery");
        }
    }

    private void faultThenRestart(Consumer<SandboxService> fault) throws Exception {
        String plan = sandboxWithPlan();
        fault.accept(sandbox);
        ServiceRecoveryReport r = recover(plan);
        assertRecoveredAndServing(r, "restart");
        Map<String, StepOutcome> steps = firstRound(r);
        assertEquals(StepOutcome.OK, steps.get("restart"), steps(r));
        assertEquals(StepOutcome.OK, steps.get("wait-healthy"), steps(r));
        assertFalse(steps.containsKey("recreate"), steps(r));
        assertEquals(StepOutcome.OK, steps.get("watch"), steps(r));
    }

    @Test
    void exitedContainerIsRestarted() throws Exception {
        faultThenRestart(s -> s.stop("roma"));
    }

    @Test
    void killedContainerIsRestarted() throws Exception {
        faultThenRestart(s -> {
            s.kill("roma");
            s.kill("roma-api");
        });
    }

    @Test
    void onlyTheBrokenContainerIsRestarted() throws Exception {
        String plan = sandboxWithPlan();
        java.time.Instant apiStarted = sandbox.startedAt("roma-api");
        sandbox.kill("roma");
        ServiceRecoveryReport r = recover(plan);
        assertRecoveredAndServing(r, "restart");
        assertEquals(apiStarted, sandbox.startedAt("roma-api"), "the healthy roma-api must not be restarted");
    }

    @Test
    void unhealthyButRunningContainerIsRestarted() throws Exception {
        faultThenRestart(s -> s.breakHealth("roma-api"));
        // the assessment saw both running, so the first health check is what failed
        assertEquals(200, DockerTestSupport.status(sandbox.healthUrl("roma-api")));
    }

    @Test
    void removedContainerIsRecreatedFromTheTemplate() throws Exception {
        String plan = sandboxWithPlan();
        String apiBefore = sandbox.containerId("roma-api");
        sandbox.remove("roma");
        ServiceRecoveryReport r = recover(plan);
        assertRecoveredAndServing(r, "recreate");
        Map<String, StepOutcome> steps = firstRound(r);
        assertEquals(StepOutcome.SKIPPED, steps.get("restart"), steps(r));
        assertEquals(StepOutcome.OK, steps.get("recreate"), steps(r));
        StepRecord recreate = r.timeline().stream().filter(s -> s.step().equals("recreate")).findFirst().orElseThrow();
        assertTrue(recreate.detail().contains("from the plan's template"), recreate.detail());
        assertNotNull(sandbox.containerId("roma"));
        assertEquals(apiBefore, sandbox.containerId("roma-api"), "the healthy roma-api is left alone");
    }

    @Test
    void secondRecoveryChangesNothing() throws Exception {
        String plan = sandboxWithPlan();
        sandbox.kill("roma");
        assertRecoveredAndServing(recover(plan), "restart");

        List<String> ids = sandbox.services().stream().map(sandbox::containerId).toList();
        List<Instant> started = sandbox.services().stream().map(sandbox::startedAt).toList();
        ServiceRecoveryReport again = recover(plan);
        assertRecoveredAndServing(again, "no action (already healthy)");
        Map<String, StepOutcome> steps = firstRound(again);
        assertFalse(steps.containsKey("restart"), steps(again));
        assertFalse(steps.containsKey("recreate"), steps(again));
        assertEquals(ids, sandbox.services().stream().map(sandbox::containerId).toList());
        assertEquals(started, sandbox.services().stream().map(sandbox::startedAt).toList());
    }
}
