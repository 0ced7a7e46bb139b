package io.romadr.cli;

import io.romadr.scenario.gitloss.GitRecoveryRequest;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "git",
        description = {
                "Scenario 4, git repository lost/corrupted: start GitRecoveryWorkflow for a plan (workflow id "
                        + "roma-dr-git-loss-<plan>), or attach to the one running. It probes every remote, "
                        + "chooses the history to restore by ancestry, and waits for 'roma-dr approve <workflow-id>' "
                        + "before it force-updates or recreates the primary.",
                "Prints the workflow id; with --wait, says when an approval is pending, then prints the report and "
                        + "exits 0 when the primary was restored (or was intact) and verified, 3 when that took longer "
                        + "than the RTO, 1 otherwise."})
final class RecoverGitCommand extends RecoverScenarioCommand {
    @Option(names = "--known-good", paramLabel = "COMMIT",
            description = "A commit id every acceptable history must contain (repeatable), e.g. from 'git log -1' on "
                    + "developer machines.")
    List<String> knownGood = new ArrayList<>();

    @Option(names = "--bundle", paramLabel = "PATH",
            description = "A 'git bundle create --all' file, as a path on the worker, to consider too (repeatable).")
    List<String> bundles = new ArrayList<>();

    @Override
    String scenario() {
        return GitRecoveryWorkflow.SCENARIO;
    }

    @Override
    Object request(String plan) {
        return new GitRecoveryRequest(plan, requestedBy(), knownGood, bundles, options.detectedAt());
    }

    @Override
    String what() {
        return "git recovery";
    }

    @Override
    String hint(String workflowId) {
        return "approve the restore with: roma-dr approve " + workflowId;
    }
}
