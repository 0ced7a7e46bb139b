package io.romadr.cli;

import io.romadr.scenario.siteloss.ForensicsRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keep",
        description = {
                "Keep a running site recovery's server for forensics if the recovery fails or is cancelled, instead of "
                        + "terminating it (Scenario 3). Sent as the Temporal update 'keep-for-forensics'; who asked and "
                        + "why go in the report.",
                "Exits 0 when the workflow took the request, 1 when it refused it (e.g. the recovery has already "
                        + "ended), 4 when there is no such workflow."})
final class KeepCommand extends TemporalCommand {
    @Parameters(index = "0", paramLabel = "WORKFLOW-ID", description = "The site recovery's workflow id.")
    String workflowId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why the server is needed (required; shown in the report).")
    String reason;

    @Option(names = "--as", paramLabel = "NAME", description = "Who asks (default: the login name).")
    String requestedBy;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        if (reason.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "--reason must say why the server is kept (it goes in the report)");
        }
        return sendUpdate(temporal, workflowId, SiteRecoveryWorkflow.KEEP,
                new ForensicsRequest(whoOrLogin(requestedBy), reason));
    }
}
