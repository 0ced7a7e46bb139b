package io.romadr.scenario.gitloss;

import io.romadr.plan.CommandStep;
import io.romadr.plan.GitRemote;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Verify the restored primary against the source it was restored from (same fields as the restore's source). */
public record GitVerifyRequest(String plan, GitRemote primary, GitRemote sourceRemote, String sourceBundle,
        Map<String, String> refs, String branch, List<CommandStep> verify) {
    public GitVerifyRequest {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
        verify = verify == null ? List.of() : List.copyOf(verify);
    }
}
