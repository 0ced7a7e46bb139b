package io.romadr.cli;

import io.romadr.report.ApprovalDecision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "approve",
        description = {
                "Approve (or with --reject, reject) the step a recovery is waiting for, e.g. Scenario 4's force-update of "
                        + "the primary or Scenario 3's DNS cut-over. Sent as the Temporal update 'approve' to the "
                        + "workflow by id, whatever its type; the approver and reason go in the report.",
                "Exits 0 when the workflow took the decision, 1 when it refused it (e.g. nothing is waiting), 4 when "
                        + "there is no such workflow."})
final class ApproveCommand extends TemporalCommand {
    /** The update every roma-dr workflow with an approval gate answers (GitRecoveryWorkflow, SiteRecoveryWorkflow). */
    static final String APPROVE = "approve";

    @Parameters(index = "0", paramLabel = "WORKFLOW-ID", description = "The waiting workflow's id.")
    String workflowId;

    @Option(names = "--reject", description = "Reject instead of approve (a --reason is required).")
    boolean reject;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why; shown in the report.")
    String reason;

    @Option(names = "--as", paramLabel = "NAME", description = "Who decides (default: the login name).")
    String approver;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        if (reject && reason.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "--reject needs a --reason (it goes in the report)");
        }
        return sendUpdate(temporal, workflowId, APPROVE, new ApprovalDecision(whoOrLogin(approver), !reject, reason));
    }
}
