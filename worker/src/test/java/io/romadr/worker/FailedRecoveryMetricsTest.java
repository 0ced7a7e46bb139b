package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.plan.PlanRepository;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.RunFailure;
import io.romadr.worker.crash.TemporalDevServer;
import io.romadr.worker.host.RecoveryOutcomeInterceptor;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recovery that did not recover now fails its workflow; the worker still counts it, as FAILED, in
 * {@code romadr_recoveries_finished_total} (real dev server, real worker and plans directory, the host's metrics).
 */
@org.junit.jupiter.api.Tag("integration")
class FailedRecoveryMetricsTest {
    static final String TASK_QUEUE = "roma-dr-failed-metrics";

    @Test
    void aFailedRecoveryIsCountedAsFailed(@TempDir Path dir) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Scope scope = new RootScopeBuilder()
                .reporter(new io.temporal.common.reporter.MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofMillis(100));
        PlanRepository plans = new PlanRepository(Path.of("..", "deploy", "plans").toAbsolutePath().normalize());
        try (TemporalDevServer temporal = TemporalDevServer.start(dir);
                TemporalConnection connection = new TemporalConnection(temporal.address(), "default", scope);
                RomaWorker worker = new RomaWorker(connection.client(), TASK_QUEUE,
                        new RomaWorker.Activities(new PlanDirectoryActivities(plans), null),
                        new RecoveryOutcomeInterceptor(new io.romadr.worker.host.RomaMetrics(registry)))) {
            worker.start();
            ServiceRecoveryWorkflow wf = connection.client().newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("metrics-failed").build());
            WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                    () -> wf.recover(ServiceRecoveryRequest.of("no-such-plan")));
            ServiceRecoveryReport report = RunFailure.reportOf(failed, ServiceRecoveryReport.class);
            assertEquals(Outcome.FAILED, report.outcome());

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String counted = null;
            while (counted == null && System.nanoTime() < deadline) {
                counted = registry.scrape().lines()
                        .filter(l -> l.startsWith("romadr_recoveries_finished_total{")
                                && l.contains("outcome=\"FAILED\"") && l.contains("plan=\"no-such-plan\""))
                        .findFirst().orElse(null);
                if (counted == null) {
                    Thread.sleep(100); // the scope reports every 100 ms; poll until then, bounded
                }
            }
            assertTrue(counted != null && counted.endsWith(" 1.0"), () -> "not counted once:\n" + registry.scrape());
        } finally {
            scope.close();
        }
    }
}
