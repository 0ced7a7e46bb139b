package io.romadr.worker.host;

import io.romadr.report.RunFailure;
import io.romadr.report.ScenarioReport;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * Counts finished recoveries where they finish: in the worker, when a scenario workflow returns its report (any
 * {@link ScenarioReport}, so all four scenarios), whoever started it (webhook, CLI, Web UI, drill). It reports through {@link Workflow#getMetricsScope()}, which emits
 * nothing while a workflow is replayed, so a recovery is counted once even when its history is replayed on another
 * worker; only a worker crash between counting and completing the workflow task can count a recovery twice.
 * <ul>
 *   <li>{@code romadr_recoveries_finished_total{plan,outcome,...}} (outcome RECOVERED or FAILED)</li>
 *   <li>{@code romadr_recoveries_rto_breached_total{plan,...}}</li>
 * </ul>
 * (plus the SDK's tags: namespace, task_queue, workflow_type).
 */
public final class RecoveryOutcomeInterceptor extends WorkerInterceptorBase {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                WorkflowOutput output;
                try {
                    output = super.execute(input);
                } catch (ApplicationFailure failed) {
                    // A recovery that did not recover fails its workflow, carrying its report in the details.
                    if (failed.getDetails() != null && failed.getDetails().getSize() > 0
                            && RunFailure.RECOVERY_FAILED.equals(failed.getType())) {
                        Object details = failed.getDetails().get(Object.class);
                        if (details instanceof ScenarioReport report) {
                            count(report);
                        }
                    }
                    throw failed;
                }
                if (output.getResult() instanceof ScenarioReport report) {
                    count(report);
                }
                return output;
            }
        };
    }

    private static void count(ScenarioReport report) {
        var scope = Workflow.getMetricsScope().tagged(Map.of("plan", nonNull(report.plan())));
        scope.tagged(Map.of("outcome", String.valueOf(report.outcome())))
                .counter("romadr_recoveries_finished").inc(1);
        if (report.rtoBreached()) {
            scope.counter("romadr_recoveries_rto_breached").inc(1);
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
