package io.romadr.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.report.Outcome;
import io.romadr.report.PendingApproval;
import io.romadr.scenario.gitloss.GitRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.host.RecoveryStatusCollector;
import io.romadr.worker.host.RomaMetrics;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The running-recoveries collector against the in-process Temporal server: two open runs of the Scenario 4 workflow
 * type (a stand-in that answers the {@code progress} query with a pending approval, as the real one does while it
 * waits), at most one asked: both count as running (the one not asked with plan {@code unknown}), the asked one's
 * approval is pending since its request; once both runs end, the rows disappear.
 */
class RecoveryStatusCollectorTest {
    static final String QUEUE = "roma-dr-status-" + UUID.randomUUID().toString().substring(0, 8);
    static final long ASKED_AT = 1_700_000_000_000L;

    /** Registered under the Scenario 4 workflow type and its progress query's name. */
    @WorkflowInterface
    public interface WaitingGitRecovery {
        @WorkflowMethod(name = GitRecoveryWorkflow.TYPE)
        void run(String plan);

        @QueryMethod(name = "progress")
        GitRecoveryReport progress();

        @SignalMethod
        void finish();
    }

    public static class WaitingGitRecoveryImpl implements WaitingGitRecovery {
        private String plan;
        private boolean finished;

        @Override
        public void run(String plan) {
            this.plan = plan;
            Workflow.await(() -> finished);
        }

        @Override
        public GitRecoveryReport progress() {
            return new GitRecoveryReport("", plan, "test", Outcome.RUNNING, ASKED_AT - 1000, 0, 600_000, null, null,
                    "backup-1", null, new PendingApproval("approve-restore", "restore from backup-1?", ASKED_AT,
                            ASKED_AT + 600_000),
                    null, null, null, null, "", null);
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    @Test
    void runningRecoveriesAndPendingApprovalsFromTemporal() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
                TemporalConnection connection = new TemporalConnection(temporal.address(), "default")) {
            WorkflowClient client = connection.client();
            WorkerFactory factory = WorkerFactory.newInstance(client);
            factory.newWorker(QUEUE).registerWorkflowImplementationTypes(WaitingGitRecoveryImpl.class);
            factory.start();
            try {
                List<WaitingGitRecovery> runs = List.of(start(client), start(client));
                RecoveryStatusCollector collector = new RecoveryStatusCollector(() -> client, "default", 1,
                        new RomaMetrics(registry));
                collector.run();
                String scrape = registry.scrape();
                assertTrue(scrape.contains("romadr_recoveries_running{plan=\"roma\",scenario=\"git-loss\"} 1.0"),
                        scrape);
                assertTrue(scrape.contains("romadr_recoveries_running{plan=\"unknown\",scenario=\"git-loss\"} 1.0"),
                        scrape);
                assertTrue(scrape.contains("romadr_approvals_pending{plan=\"roma\",scenario=\"git-loss\"} 1.0"),
                        scrape);
                assertTrue(scrape.contains(
                        "romadr_approval_pending_since_seconds{plan=\"roma\",scenario=\"git-loss\"} 1.7E9"), scrape);

                runs.forEach(WaitingGitRecovery::finish);
                for (WaitingGitRecovery run : runs) {
                    WorkflowStub.fromTyped(run).getResult(Void.class); // returns once the run ended
                }
                collector.run();
                String after = registry.scrape();
                assertEquals(false, after.contains("romadr_recoveries_running{"), after);
                assertEquals(false, after.contains("romadr_approvals_pending{"), after);
            } finally {
                factory.shutdownNow();
            }
        }
    }

    private static WaitingGitRecovery start(WorkflowClient client) {
        WaitingGitRecovery run = client.newWorkflowStub(WaitingGitRecovery.class, WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE).setWorkflowId("roma-dr-git-loss-roma-" + UUID.randomUUID()).build());
        WorkflowClient.start(run::run, "roma");
        return run;
    }
}
