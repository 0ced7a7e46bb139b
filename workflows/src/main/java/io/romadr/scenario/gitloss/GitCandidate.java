package io.romadr.scenario.gitloss;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A history the primary could be restored from. {@code name} is the remote's plan name or {@code bundle:<file>};
 * {@code missingKnownGood} lists known-good commits none of its branch tips contain; {@code contains} names the other
 * candidates whose every branch and tag tip is an ancestor of (or equal to) one of this candidate's; {@code
 * commitCount} counts the commits reachable from its branches. {@code problem} is non-empty when it could not be
 * read (e.g. a bundle that fails verification).
 */
public record GitCandidate(String name, String source, String location, Map<String, String> refs,
        List<String> missingKnownGood, List<String> contains, long commitCount, String problem) {
    public GitCandidate {
        refs = refs == null ? Map.of() : new TreeMap<>(refs);
        missingKnownGood = missingKnownGood == null ? List.of() : List.copyOf(missingKnownGood);
        contains = contains == null ? List.of() : List.copyOf(contains);
        problem = problem == null ? "" : problem;
    }
}
