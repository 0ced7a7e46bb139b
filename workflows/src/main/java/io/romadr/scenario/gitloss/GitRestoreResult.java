package io.romadr.scenario.gitloss;

import java.util.List;

/** What the restore did: whether it recreated the primary, which refs it (force-)updated, which were already equal. */
public record GitRestoreResult(boolean recreated, List<String> updated, int unchanged, String problem) {
    public GitRestoreResult {
        updated = updated == null ? List.of() : List.copyOf(updated);
        problem = problem == null ? "" : problem;
    }
}
