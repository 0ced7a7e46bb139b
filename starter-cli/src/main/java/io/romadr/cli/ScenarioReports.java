package io.romadr.cli;

import io.romadr.corruption.DataCorruptionRecoveryWorkflow;
import io.romadr.corruption.DataRecoveryReport;
import io.romadr.corruption.DataRecoveryReportFormatter;
import io.romadr.gitrecovery.GitRecoveryReport;
import io.romadr.gitrecovery.GitRecoveryReportFormatter;
import io.romadr.gitrecovery.GitRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.site.SiteRecoveryReport;
import io.romadr.site.SiteRecoveryReportFormatter;
import io.romadr.site.SiteRecoveryWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import java.util.List;
import java.util.Set;

/**
 * The scenario workflows whose reports have their own types (Scenarios 2, 3 and 4), for {@code report} and
 * {@code status}: their progress query as the common progress line, and a closed run's report (a failed run's from
 * its failure) with its markdown, one-line result and exit code.
 */
final class ScenarioReports {
    static final Set<String> TYPES = Set.of(SiteRecoveryWorkflow.TYPE, GitRecoveryWorkflow.TYPE,
            DataCorruptionRecoveryWorkflow.TYPE);

    /** A closed scenario run: the report (for JSON), its markdown, the one-line result and the exit code. */
    record Closed(Object report, String markdown, String line, int exit) {
    }

    private ScenarioReports() {
    }

    static boolean handles(String type) {
        return TYPES.contains(type);
    }

    /** The progress query's answer as the common progress line's input. */
    static Progress progress(WorkflowStub stub, String type) {
        return switch (type) {
            case SiteRecoveryWorkflow.TYPE -> {
                SiteRecoveryReport r = stub.query(Recoveries.PROGRESS_QUERY, SiteRecoveryReport.class);
                yield r == null ? null : new Progress(SiteRecoveryWorkflow.SCENARIO, r.plan(), r.outcome(),
                        current(r.steps()), 1, r.startedAt(), r.rtoMillis(), r.rtoBreached(), r.restoredAt(),
                        r.steps());
            }
            case GitRecoveryWorkflow.TYPE -> {
                GitRecoveryReport r = stub.query(Recoveries.PROGRESS_QUERY, GitRecoveryReport.class);
                yield r == null ? null : new Progress(GitRecoveryWorkflow.SCENARIO, r.plan(), r.outcome(),
                        current(r.timeline()), 1, r.startedAt(), r.rtoMillis(), false, null, r.timeline());
            }
            default -> {
                DataRecoveryReport r = stub.query(Recoveries.PROGRESS_QUERY, DataRecoveryReport.class);
                yield r == null ? null : new Progress(DataCorruptionRecoveryWorkflow.SCENARIO, r.plan(),
                        r.outcome(), current(r.timeline()), 1, r.startedAt(), r.rtoMillis(), false, null,
                        r.timeline());
            }
        };
    }

    static Closed closed(Recoveries recoveries, String workflowId, WorkflowExecutionStatus status, String type) {
        return switch (type) {
            case SiteRecoveryWorkflow.TYPE -> {
                SiteRecoveryReport r = recoveries.scenarioReport(workflowId, status, SiteRecoveryReport.class);
                int exit = exit(r.outcome(), !r.rtoBreached());
                yield new Closed(r, SiteRecoveryReportFormatter.markdown(r),
                        line(exit, r.outcome(), workflowId, r.finishedAt() - r.startedAt(), r.summary()), exit);
            }
            case GitRecoveryWorkflow.TYPE -> {
                GitRecoveryReport r = recoveries.scenarioReport(workflowId, status, GitRecoveryReport.class);
                int exit = exit(r.outcome(), r.rtoMet());
                yield new Closed(r, GitRecoveryReportFormatter.markdown(r),
                        line(exit, r.outcome(), workflowId, r.finishedAt() - r.startedAt(), r.summary()), exit);
            }
            default -> {
                DataRecoveryReport r = recoveries.scenarioReport(workflowId, status, DataRecoveryReport.class);
                int exit = exit(r.outcome(), r.rtoMet());
                yield new Closed(r, DataRecoveryReportFormatter.markdown(r),
                        line(exit, r.outcome(), workflowId, r.finishedAt() - r.startedAt(), r.summary()), exit);
            }
        };
    }

    private static int exit(Outcome outcome, boolean rtoMet) {
        return outcome != Outcome.RECOVERED ? ExitCodes.FAILED : rtoMet ? ExitCodes.RECOVERED : ExitCodes.RTO_BREACHED;
    }

    private static String line(int exit, Outcome outcome, String workflowId, long tookMillis, String summary) {
        String how = switch (exit) {
            case ExitCodes.RECOVERED -> "RECOVERED";
            case ExitCodes.RTO_BREACHED -> "RECOVERED, RTO BREACHED";
            default -> String.valueOf(outcome);
        };
        return how + " " + workflowId + " in " + ReportFormatter.clock(tookMillis) + ": "
                + BaseCommand.oneLine(summary);
    }

    /** The step running now (the last one still RUNNING), else the last one. */
    private static String current(List<StepRecord> steps) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).outcome() == StepOutcome.RUNNING) {
                return steps.get(i).step();
            }
        }
        return steps.isEmpty() ? "" : steps.get(steps.size() - 1).step();
    }
}
