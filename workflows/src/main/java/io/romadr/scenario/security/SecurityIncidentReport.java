package io.romadr.scenario.security;

import io.romadr.report.ApprovalRecord;
import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.PendingApproval;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * The security incident's report: the containers found, how and when they were contained against the target, the
 * evidence kept (each artifact's SHA-256), both approvals, every credential rotated (names and versions, never
 * values), the known-good commit and image digests redeployed, each step's time against the plan's targets.
 * {@code containedAt}: workflow time the containment finished (null: not contained).
 */
public record SecurityIncidentReport(String workflowId, String plan, String requestedBy, String reason,
        Outcome outcome, long startedAt, long finishedAt, long rtoMillis, long containWithinMillis, String containMode,
        Long containedAt, List<IncidentContainer> containers, ContainResult containment, EvidenceManifest evidence,
        List<ApprovalRecord> approvals, PendingApproval pendingApproval, List<RotationResult> rotations,
        String knownGoodCommit, KnownGoodImages images, String secretsBackup, List<StepRecord> timeline,
        String summary, IncidentTimes incident)
        implements
            ScenarioReport {

    public SecurityIncidentReport {
        containers = containers == null ? List.of() : List.copyOf(containers);
        approvals = approvals == null ? List.of() : List.copyOf(approvals);
        rotations = rotations == null ? List.of() : List.copyOf(rotations);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        knownGoodCommit = knownGoodCommit == null ? "" : knownGoodCommit;
        secretsBackup = secretsBackup == null ? "" : secretsBackup;
    }

    @Override
    public String scenario() {
        return SecurityIncidentWorkflow.SCENARIO;
    }

    @Override
    public ApprovalRecord approval() {
        return approvals.isEmpty() ? null : approvals.get(approvals.size() - 1);
    }

    /** Contained within {@code containWithinMillis} of the clock's start. */
    public boolean containedInTime() {
        return containedAt != null && containedAt - startedAt <= containWithinMillis;
    }

    @Override
    public String title() {
        return "Security incident report: plan " + plan;
    }

    @Override
    public void details(StringBuilder sb) {
        SecurityIncidentReportFormatter.details(sb, this);
    }
}
