package io.romadr.activities.git;

import io.romadr.backup.VerificationStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Freshness of one backup against the primary, in the cache (which holds the primary's objects and the backup's
 * branch tips): every primary branch must exist on the backup, be an ancestor of (or equal to) the primary's tip,
 * and lag at most {@code maxLag} behind it, lag being the committer time of the primary tip minus that of the
 * backup tip.
 */
final class FreshnessCheck {
    private FreshnessCheck() {
    }

    record Result(VerificationStatus status, String evidence) {
    }

    static Result evaluate(Repository cache, Map<String, String> primary, Map<String, String> backup,
            Duration maxLag) throws IOException {
        List<String> stale = new ArrayList<>();
        List<String> behind = new ArrayList<>();
        int branches = 0;
        int tags = 0;
        int tagsEqual = 0;
        try (RevWalk walk = new RevWalk(cache)) {
            for (Map.Entry<String, String> e : primary.entrySet()) {
                String ref = e.getKey();
                if (ref.startsWith("refs/tags/")) {
                    tags++;
                    tagsEqual += e.getValue().equals(backup.get(ref)) ? 1 : 0;
                    continue;
                }
                branches++;
                String name = ref.substring("refs/heads/".length());
                String have = backup.get(ref);
                if (have == null) {
                    stale.add(name + " missing");
                } else if (!have.equals(e.getValue())) {
                    BranchLag lag = lag(walk, name, have, e.getValue(), maxLag);
                    (lag.stale() ? stale : behind).add(lag.text());
                }
            }
        }
        String tagText = tagsEqual == tags ? tags + " tag(s) equal" : tagsEqual + " of " + tags + " tag(s) equal";
        if (!stale.isEmpty()) {
            return new Result(VerificationStatus.STALE, String.join("; ", stale) + " (max lag "
                    + Durations.format(maxLag) + ")");
        }
        if (behind.isEmpty()) {
            return new Result(VerificationStatus.OK, branches + " branch(es), " + tagText);
        }
        return new Result(VerificationStatus.OK, branches + " branch(es) within " + Durations.format(maxLag)
                + ": " + String.join("; ", behind) + "; " + tagText);
    }

    /** One branch that differs: "main 2 commit(s) / 3h behind"; stale when that is too much or it diverged. */
    private record BranchLag(String text, boolean stale) {
    }

    private static BranchLag lag(RevWalk walk, String name, String have, String want, Duration maxLag)
            throws IOException {
        walk.reset();
        RevCommit backupTip;
        RevCommit primaryTip;
        try {
            backupTip = walk.parseCommit(ObjectId.fromString(have));
            primaryTip = walk.parseCommit(ObjectId.fromString(want));
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            return new BranchLag(name + " unreadable (backup tip " + RefDiffPlanner.shortId(have)
                    + " could not be read)", true);
        }
        if (!walk.isMergedInto(backupTip, primaryTip)) {
            return new BranchLag(name + " diverged (backup " + RefDiffPlanner.shortId(have) + ", primary "
                    + RefDiffPlanner.shortId(want) + ")", true);
        }
        walk.reset();
        walk.markStart(primaryTip);
        walk.markUninteresting(backupTip);
        int commits = 0;
        while (walk.next() != null) {
            commits++;
        }
        Duration lag = Duration.ofSeconds(Math.max(0, primaryTip.getCommitTime() - backupTip.getCommitTime()));
        String text = name + " " + commits + " commit(s) / " + Durations.format(lag) + " behind";
        return new BranchLag(text, lag.compareTo(maxLag) > 0);
    }
}
