package io.romadr.scenario.gitloss;

import io.romadr.plan.GitRemote;
import java.util.List;

/**
 * Candidates to assess: reachable remotes (primary and backups, by plan name) and bundle files on the worker
 * ({@code git bundle create --all} output handed in by developers); {@code knownGood} are commit ids every acceptable
 * history must contain.
 */
public record GitAssessRequest(String plan, List<GitRemote> remotes, List<String> bundles, List<String> knownGood) {
    public GitAssessRequest {
        remotes = remotes == null ? List.of() : List.copyOf(remotes);
        bundles = bundles == null ? List.of() : List.copyOf(bundles);
        knownGood = knownGood == null ? List.of() : List.copyOf(knownGood);
    }
}
