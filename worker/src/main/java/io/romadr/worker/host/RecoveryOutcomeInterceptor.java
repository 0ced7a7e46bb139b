package io.romadr.worker.host;

import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import io.romadr.runtime.PlanInput;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;

/**
 * Counts finished recoveries where they finish: in the worker, when a scenario workflow returns its report (any
 * {@link ScenarioReport}, so all four scenarios) or fails with it in the failure's details, whoever started it
 * (webhook, CLI, Web UI, drill). Nothing is reported while a workflow is replayed ({@link FinishedRuns}), so a
 * recovery is counted once even when its history is replayed on another worker; only a worker crash between
 * counting and completing the workflow task can count a recovery twice.
 * <ul>
 *   <li>through {@link Workflow#getMetricsScope()} (plus the SDK's tags namespace, task_queue, workflow_type):
 *       {@code romadr_recoveries_finished_total{plan,outcome}} (RECOVERED or FAILED) and
 *       {@code romadr_recoveries_rto_breached_total{plan}};</li>
 *   <li>in the host's registry ({@link RomaMetrics}): the duration, the share of the RTO used (counted from the
 *       incident, like the report's RTO actual) and the queue wait (histograms by plan and scenario) and, for a recovery a drill started, the drill's last run and result.</li>
 * </ul>
 */
public final class RecoveryOutcomeInterceptor extends WorkerInterceptorBase {
    /** What the drills give as {@code requestedBy} (and their trigger notice as its source). */
    static final String DRILL = "drill";

    private final RomaMetrics metrics;

    public RecoveryOutcomeInterceptor(RomaMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return FinishedRuns.intercept(next, (input, result, failed) -> {
            if (result instanceof ScenarioReport report) {
                count(report, input.getArguments().length > 0 ? input.getArguments()[0] : null);
            }
        });
    }

    private void count(ScenarioReport report, Object request) {
        String plan = nonNull(report.plan());
        var scope = Workflow.getMetricsScope().tagged(Map.of("plan", plan));
        scope.tagged(Map.of("outcome", String.valueOf(report.outcome())))
                .counter("romadr_recoveries_finished").inc(1);
        if (report.rtoBreached()) {
            scope.counter("romadr_recoveries_rto_breached").inc(1);
        }
        String scenario = nonNull(report.scenario());
        long ran = Math.max(0, report.finishedAt() - report.startedAt());
        long used = report.rtoActualMillis() != null ? report.rtoActualMillis() : ran;
        metrics.recoveryFinished(plan, scenario, String.valueOf(report.outcome()), Duration.ofMillis(ran),
                report.rtoMillis() > 0 ? (double) used / report.rtoMillis() : 0);
        if (report.incident() != null) {
            metrics.recoveryQueued(plan, scenario, Duration.ofMillis(Math.max(0, report.incident()
                    .queueWaitMillis())));
        }
        if (isDrill(report, request)) {
            metrics.drillFinished(plan, scenario, report.finishedAt(), report.recoveredWithinRto());
        }
    }

    /**
     * A drill's recovery: its request (or report) says {@code requestedBy: drill}, or the trigger notice that started
     * it came from a drill (its timeline's first {@code trigger-requested} step reads "drill ...").
     */
    static boolean isDrill(ScenarioReport report, Object request) {
        if (request instanceof PlanInput in && nonNull(in.requestedBy()).startsWith(DRILL)) {
            return true;
        }
        if (nonNull(report.requestedBy()).startsWith(DRILL)) {
            return true;
        }
        return report.timeline().stream().filter(s -> s.step().equals("trigger-requested")).findFirst()
                .map(StepRecord::detail).map(d -> nonNull(d).startsWith(DRILL)).orElse(false);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
