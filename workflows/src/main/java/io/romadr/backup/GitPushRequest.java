package io.romadr.backup;

import io.romadr.plan.GitRemote;
import java.util.Map;
import java.util.TreeMap;

/** Make {@code backup}'s branches and tags equal to {@code refs} (fetched from {@code primary} by this run). */
public record GitPushRequest(String plan, GitRemote primary, GitRemote backup, Map<String, String> refs,
        boolean allowForceUpdate) {
    public GitPushRequest {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
    }
}
