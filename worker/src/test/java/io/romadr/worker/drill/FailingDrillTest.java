package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.report.RunFailure;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drill against a target that cannot recover ends, within a bounded time, as a FAILED DrillWorkflow carrying its
 * report: Success: No, the issues saying why, the sign-offs nobody gave reported as missing. The target is a sandbox
 * service whose plan checks a health URL roma never serves (404), so no restart or recreate can make it healthy.
 * Embedded stack, production wiring, real Docker engine.
 */
@org.junit.jupiter.api.Tag("integration")
class FailingDrillTest {
    /** Far below the test's timeout: a drill that hangs fails here, not at the test's timeout. */
    static final Duration BOUND = Duration.ofMinutes(3);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTargetThatDoesNotRecoverEndsAsAFailedDrillWithItsReport(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String name = "drill-fails-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedStack stack = new EmbeddedStack("roma-dr-" + name)) {
            SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            stack.closeLater(sandbox::destroy);
            Path plans = Files.createDirectories(dir.resolve("plans"));
            String health = sandbox.healthUrl("roma");
            String never = health.replace("/health", "/never-healthy");
            Files.writeString(plans.resolve(name + ".yaml"), sandbox.planYaml(name, "5m", "3s", "250ms", "2s", "0s",
                    "1s").replace(health, never));
            stack.startWorker(plans, docker);

            DrillWorkflow drill = stack.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(stack.taskQueue()).setWorkflowId(name)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            long started = System.nanoTime();
            WorkflowClient.start(drill::drill, new DrillRequest(name, "service-failure", "kill:roma", "", "carol",
                    "olga", "oscar", "mia", null, Duration.ofSeconds(5), "junit"));
            // Only the operator signs; the observer and the manager never do.
            drill.signOff(new DrillSignOff("operator", "olga", "it did not come back"));

            WorkflowFailedException failed = assertThrows(WorkflowFailedException.class, () -> WorkflowStub
                    .fromTyped(drill).getResult(BOUND.toSeconds(), TimeUnit.SECONDS, DrillReport.class));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(BOUND) < 0, "took " + took);
            ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failed.getCause());
            assertEquals(RunFailure.DRILL_FAILED, cause.getType());
            assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, WorkflowStub.fromTyped(drill)
                    .describe().getWorkflowExecutionInfo().getStatus());
            DrillReport r = RunFailure.reportOf(failed, DrillReport.class);
            assertNotNull(r, "the failed drill carries no report: " + failed);
            String md = DrillReportFormatter.markdown(r);
            System.out.println(md);

            assertEquals(Boolean.FALSE, r.success(), md);
            assertNull(r.rtoActualMillis(), md);
            assertTrue(r.finishedAt() >= r.startedAt() && r.finishedAt() > 0, md);
            assertTrue(md.contains("\n- **Success:** No\n"), md);
            assertTrue(md.contains("\n- **RTO Actual:** not recovered\n"), md);
            assertTrue(md.contains("\n- **Data Loss:** Not known: the service was not recovered\n"), md);
            assertTrue(r.summary().startsWith("Drill failed: the service did not recover"), r.summary());
            assertEquals(r.summary(), cause.getOriginalMessage());

            // The fault was injected; the recovery and the independent check failed, and the timeline says so.
            assertEquals("Success: killed " + sandbox.containerName("roma") + " (SIGKILL)",
                    ScheduledDrillTest.row(r, "inject-fault").result(), md);
            assertTrue(ScheduledDrillTest.row(r, "recovery").result().startsWith("Failed"), md);
            assertTrue(ScheduledDrillTest.row(r, "verify-recovered").result().startsWith("Failed"), md);
            assertTrue(ScheduledDrillTest.row(r, "verify-recovered").result().contains("health check roma-http: "),
                    md);
            assertEquals("Failed: not signed within 5s by observer, manager", ScheduledDrillTest.row(r, "sign-off")
                    .result(), md);

            // The issues say why.
            assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("The service was not recovered: ")), md);
            assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("Verification after the recovery: health check"
                    + " roma-http: ")), md);
            assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("Recovery step wait-healthy failed")), md);

            // The sign-offs: the operator's, and the two that never came, reported as missing.
            Map<String, List<String>> sections = ScheduledDrillTest.sections(md);
            List<String> signOff = sections.get("Sign-Off").stream().filter(l -> !l.isEmpty()).toList();
            assertEquals(3, signOff.size(), md);
            assertTrue(signOff.get(0).startsWith("- Operator: olga, " + r.date() + " (it did not come back)"), md);
            assertEquals("- Observer: _______________ (not signed: not signed within 5s)", signOff.get(1), md);
            assertEquals("- Manager: _______________ (not signed: not signed within 5s)", signOff.get(2), md);

            // Nothing more to add to a final report.
            assertThrows(io.temporal.client.WorkflowException.class,
                    () -> drill.signOff(new DrillSignOff("manager", "mia", "late")));
        }
    }
}
