package io.romadr.scenario.gitloss;

import java.util.List;

/**
 * The seed's step 3: in a fresh clone of the primary, the branch's commit count and last 10 commits ("id subject")
 * against the source's, tags missing from the clone, and each verify command's outcome ("name: OK" / "name: FAILED
 * exit 1: tail of output").
 */
public record GitVerifyResult(boolean ok, long commitCount, long expectedCommitCount, List<String> lastCommits,
        List<String> expectedLastCommits, List<String> missingTags, List<String> commands, String problem) {
    public GitVerifyResult {
        lastCommits = lastCommits == null ? List.of() : List.copyOf(lastCommits);
        expectedLastCommits = expectedLastCommits == null ? List.of() : List.copyOf(expectedLastCommits);
        missingTags = missingTags == null ? List.of() : List.copyOf(missingTags);
        commands = commands == null ? List.of() : List.copyOf(commands);
        problem = problem == null ? "" : problem;
    }
}
