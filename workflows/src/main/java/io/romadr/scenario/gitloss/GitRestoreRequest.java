package io.romadr.scenario.gitloss;

import io.romadr.plan.CommandStep;
import io.romadr.plan.GitRemote;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restore {@code primary} from the chosen source: a remote ({@code sourceRemote}) or a bundle file on the worker
 * ({@code sourceBundle}); {@code refs} are the source's branches and tags as assessed (exactly these are pushed);
 * {@code recreate} runs first when the primary is gone ({@code primaryMissing}).
 */
public record GitRestoreRequest(String plan, GitRemote primary, GitRemote sourceRemote, String sourceBundle,
        Map<String, String> refs, boolean primaryMissing, List<CommandStep> recreate) {
    public GitRestoreRequest {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
        recreate = recreate == null ? List.of() : List.copyOf(recreate);
    }
}
