package io.romadr.backup;

import java.util.Map;
import java.util.TreeMap;

/** A completed mirror: which run, when, and the primary's branches and tags it made every backup equal to. */
public record GitMirrorRecord(String plan, String workflowId, long mirroredAt, Map<String, String> refs) {
    public GitMirrorRecord {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
    }

    public static String key(String plan) {
        return "git/" + plan + "/last-mirror.json";
    }
}
