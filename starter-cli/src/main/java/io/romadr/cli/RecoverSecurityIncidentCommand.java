package io.romadr.cli;

import io.romadr.plan.SecuritySpec;
import io.romadr.scenario.security.SecurityIncidentRequest;
import io.romadr.scenario.security.SecurityIncidentWorkflow;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "security-incident",
        description = {
                "Security breach: start SecurityIncidentWorkflow for a plan (workflow id "
                        + "roma-dr-security-incident-<plan>), or attach to the one running. It finds the affected "
                        + "containers, waits for 'roma-dr approve <workflow-id>' before it contains them (stop or "
                        + "disconnect), keeps their evidence in the backup store under evidence/<plan>/, then waits "
                        + "for a second approval before it rotates the credentials and redeploys from the backup "
                        + "registry's known-good digests; it verifies and exports a fresh encrypted secrets backup.",
                "Prints the workflow id; with --wait, says when an approval is pending, then prints the report and "
                        + "exits 0 when the service was contained, rotated, redeployed and verified, 3 when that "
                        + "took longer than the plan's security.rto, 1 otherwise."})
final class RecoverSecurityIncidentCommand extends RecoverScenarioCommand {
    @Option(names = "--service", paramLabel = "SERVICE",
            description = "An affected compose service (repeatable); default: every service of the plan.")
    List<String> services = new ArrayList<>();

    @Option(names = "--contain", paramLabel = "MODE",
            description = "stop (the containers) or disconnect (from their networks, the processes kept for "
                    + "forensics); default: the plan's security.contain, else stop.")
    String contain;

    @Option(names = "--known-good-commit", paramLabel = "SHA",
            description = "The commit to redeploy from; default: the newest commit of the plan's first backup git "
                    + "remote.")
    String knownGoodCommit;

    @Override
    String scenario() {
        return SecurityIncidentWorkflow.SCENARIO;
    }

    @Override
    Object request(String plan) {
        if (contain != null && !SecuritySpec.CONTAIN_MODES.contains(contain)) {
            throw new CliException(ExitCodes.USAGE, "--contain must be one of " + SecuritySpec.CONTAIN_MODES
                    + ", got \"" + contain + "\"");
        }
        return new SecurityIncidentRequest(plan, requestedBy(), options.reason, services, contain, knownGoodCommit,
                options.detectedAt());
    }

    @Override
    String what() {
        return "security incident response";
    }

    @Override
    String hint(String workflowId) {
        return "approve containment, then rotation and redeploy, with: roma-dr approve " + workflowId;
    }
}
