package io.romadr.scenario.gitloss;

import java.util.ArrayList;
import java.util.List;

/**
 * The decision of Scenario 4, by ancestry and never by timestamps: a candidate is acceptable when it could be read,
 * has branches, and contains every known-good commit; the choice is the acceptable candidate that contains all the
 * other acceptable ones (the primary first when it does, then backups in plan order, then bundles). When no single
 * one contains all the others, histories have diverged: the one with the most commits is proposed, flagged, and the
 * operator's approval decides. Pure: unit-tested, used by the workflow.
 */
public final class GitSourceChoice {
    /** The chosen candidate (null when none is acceptable), whether histories diverged, and why, line by line. */
    public record Choice(GitCandidate chosen, boolean diverged, List<String> reasons) {
        public Choice {
            reasons = List.copyOf(reasons);
        }
    }

    private GitSourceChoice() {
    }

    /** {@code candidates} in preference order: the primary first, then the backups as the plan lists them, bundles. */
    public static Choice choose(List<GitCandidate> candidates) {
        List<String> reasons = new ArrayList<>();
        List<GitCandidate> acceptable = new ArrayList<>();
        for (GitCandidate c : candidates) {
            if (!c.problem().isEmpty()) {
                reasons.add(c.name() + ": not usable: " + c.problem());
            } else if (c.refs().keySet().stream().noneMatch(r -> r.startsWith("refs/heads/"))) {
                reasons.add(c.name() + ": not usable: no branches");
            } else if (!c.missingKnownGood().isEmpty()) {
                reasons.add(c.name() + ": rejected: does not contain known-good commit(s) "
                        + String.join(", ", c.missingKnownGood().stream().map(GitSourceChoice::shortId).toList()));
            } else {
                acceptable.add(c);
            }
        }
        if (acceptable.isEmpty()) {
            reasons.add("no candidate is acceptable");
            return new Choice(null, false, reasons);
        }
        for (GitCandidate c : acceptable) {
            List<String> others = acceptable.stream().filter(o -> o != c).map(GitCandidate::name).toList();
            if (c.contains().containsAll(others)) {
                reasons.add(c.name() + ": chosen: contains " + (others.isEmpty()
                        ? "the known-good commits"
                        : "every other acceptable history (" + String.join(", ", others) + ")") + ", "
                        + c.commitCount() + " commit(s)");
                return new Choice(c, false, reasons);
            }
        }
        GitCandidate most = acceptable.get(0);
        for (GitCandidate c : acceptable) {
            if (c.commitCount() > most.commitCount()) {
                most = c;
            }
        }
        reasons.add("histories have diverged: no candidate contains all the others; proposing " + most.name()
                + " (most commits: " + most.commitCount() + "); commits only in the others would be lost");
        return new Choice(most, true, reasons);
    }

    static String shortId(String id) {
        return id.length() > 10 ? id.substring(0, 10) : id;
    }
}
