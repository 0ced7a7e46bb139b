package io.romadr.scenario.gitloss;

import java.util.Map;
import java.util.TreeMap;

/** One remote as probed: reachable or not (and why), its branches and tags (ref -> id). */
public record GitProbe(String remote, String url, boolean reachable, Map<String, String> refs, String problem) {
    public GitProbe {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
        problem = problem == null ? "" : problem;
    }
}
