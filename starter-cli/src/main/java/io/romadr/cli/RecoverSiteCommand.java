package io.romadr.cli;

import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.scenario.siteloss.PhaseRecord;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryReportFormatter;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.temporal.RecoveryFollower;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "site",
        description = {
                "Scenario 3, total system loss: start SiteRecoveryWorkflow for a plan (it needs a site section; workflow "
                        + "id roma-dr-site-loss-<plan>), or attach to the one running. It "
                        + "provisions a server, installs its dependencies, restores the application (source, secrets, "
                        + "images) and the data, verifies, moves DNS to the new server and watches it; a failure or a "
                        + "cancellation puts DNS back and terminates the server unless it is kept for forensics.",
                "With --region R, the recovery starts on the task queue roma-dr-R; when R is the plan's "
                        + "regions.failover it is a region outage: the server from site.failover, the data, artifacts "
                        + "and secrets from the replica store backup.replica, judged against rto.regionOutage (4 h by "
                        + "default). A region the plan does not name is refused before anything is provisioned.",
                "When the plan sets site.approveCutover, the DNS cut-over waits for 'roma-dr approve <workflow-id>'; "
                        + "'roma-dr keep <workflow-id> --reason ...' keeps the server if the recovery fails.",
                "Prints the workflow id; with --wait, says when an approval is pending and when each phase is done, "
                        + "then prints the report and exits 0 when the site is restored within the RTO, 3 when it was "
                        + "restored later, 1 otherwise."})
final class RecoverSiteCommand extends RecoverScenarioCommand {
    /** The providers SiteSpec knows; picocli rejects anything else as a usage error before anything starts. */
    enum Provider {
        docker, aws
    }

    @Option(names = "--provider", paramLabel = "docker|aws",
            description = "Where the replacement server comes from (default: the plan's site.provider). "
                    + "Valid values: ${COMPLETION-CANDIDATES}.")
    Provider provider;

    @Option(names = "--keep-for-forensics",
            description = "Keep the server if the recovery fails or is cancelled, instead of terminating it.")
    boolean keepForForensics;

    @Override
    String scenario() {
        return SiteRecoveryWorkflow.SCENARIO;
    }

    @Override
    Object request(String plan) {
        return new SiteRecoveryRequest(plan, provider == null ? null : provider.name(), requestedBy(),
                options.reason, keepForForensics, options.region, options.detectedAt());
    }

    @Override
    String what() {
        return "site recovery";
    }

    @Override
    String hint(String workflowId) {
        return "keep the server if it fails with: roma-dr keep " + workflowId + " --reason '...'";
    }

    @Override
    String onCancel() {
        return " (its compensation ran)";
    }

    /** Says each phase once when it is done. */
    @Override
    RecoveryFollower.Listener listener(TemporalOptions.Connection temporal) {
        Set<String> said = new HashSet<>();
        return report -> phases((SiteRecoveryReport) report, said);
    }

    /** Says each phase that has ended and was not said yet; a failed run's last phase reached is where it failed. */
    private void phases(SiteRecoveryReport report, Set<String> said) {
        PhaseRecord lastReached = report.phases().stream().filter(p -> p.startedAt() != null)
                .reduce((a, b) -> b).orElse(null);
        for (PhaseRecord p : report.phases()) {
            String line = SiteRecoveryReportFormatter.phaseLine(p);
            if (line == null || !said.add(p.name())) {
                continue;
            }
            if (report.outcome() == Outcome.FAILED && p == lastReached) {
                line = "phase " + p.name() + " FAILED after " + ReportFormatter.clock(p.endedAt() - p.startedAt())
                        + " (budget " + SiteRecoveryReportFormatter.budget(p) + ")";
            }
            err().println(line);
        }
        err().flush();
    }
}
