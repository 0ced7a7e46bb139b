package io.romadr.scenario.gitloss;

import io.romadr.report.ApprovalRecord;
import io.romadr.report.PendingApproval;
import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * Scenario 4's report: every remote as probed, every candidate as assessed, the choice and why, the approval (who,
 * what, why), the restore and the fresh-clone verification, each step's time, against the plan's git RTO.
 */
public record GitRecoveryReport(String workflowId, String plan, String requestedBy, Outcome outcome, long startedAt,
        long finishedAt, long rtoMillis, List<GitProbe> probes, List<GitCandidate> candidates, String chosen,
        List<String> choiceReasons, PendingApproval pendingApproval, ApprovalRecord approval,
        GitRestoreResult restore, GitVerifyResult verification, List<StepRecord> timeline, String summary,
        IncidentTimes incident)
        implements
            ScenarioReport {

    public GitRecoveryReport {
        probes = probes == null ? List.of() : List.copyOf(probes);
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        choiceReasons = choiceReasons == null ? List.of() : List.copyOf(choiceReasons);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    @Override
    public String scenario() {
        return GitRecoveryWorkflow.SCENARIO;
    }

    @Override
    public void details(StringBuilder sb) {
        GitRecoveryReportFormatter.details(sb, this);
    }
}
