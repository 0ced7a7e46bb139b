package io.romadr.activities.git;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Ancestry questions about histories fetched side by side into one scratch repository: which known-good commits
 * a history's branches contain, whether one history contains another entirely, how many commits its branches hold.
 */
final class CandidateAncestry implements AutoCloseable {
    private final Repository repo;
    private final RevWalk walk;

    CandidateAncestry(Repository repo) {
        this.repo = repo;
        this.walk = new RevWalk(repo);
    }

    /** The known-good ids (as given) that no branch tip of {@code refs} contains; unknown ids count as missing. */
    List<String> missingKnownGood(Map<String, String> refs, List<String> knownGood) throws IOException {
        List<RevCommit> tips = tips(refs, true);
        List<String> missing = new ArrayList<>();
        for (String id : knownGood) {
            RevCommit good = commit(id);
            if (good == null || !mergedIntoAny(good, tips)) {
                missing.add(id);
            }
        }
        return missing;
    }

    /**
     * Whether {@code refs} holds all of {@code other}: each of other's branch and tag tips is either the same ref
     * with the same id in {@code refs}, or an ancestor of (or equal to) one of {@code refs}' branch tips. Only
     * branches count as history: a tag left on a commit a force-push removed from every branch (the old release
     * tag of a destroyed main) must not make the damaged history look complete.
     */
    boolean contains(Map<String, String> refs, Map<String, String> other) throws IOException {
        List<RevCommit> branchTips = tips(refs, true);
        for (Map.Entry<String, String> e : other.entrySet()) {
            if (e.getValue().equals(refs.get(e.getKey()))) {
                continue;
            }
            if (!(peel(ObjectId.fromString(e.getValue())) instanceof RevCommit c) || !mergedIntoAny(c, branchTips)) {
                return false;
            }
        }
        return true;
    }

    /** Commits reachable from the branches of {@code refs}. */
    long commitCount(Map<String, String> refs) throws IOException {
        walk.reset();
        walk.setRetainBody(false);
        for (RevCommit tip : tips(refs, true)) {
            walk.markStart(tip);
        }
        long n = 0;
        while (walk.next() != null) {
            n++;
        }
        walk.reset();
        return n;
    }

    private boolean mergedIntoAny(RevCommit base, List<RevCommit> tips) throws IOException {
        for (RevCommit tip : tips) {
            if (walk.isMergedInto(base, tip)) {
                return true;
            }
        }
        return false;
    }

    /** The commits the refs point at (annotated tags peeled); refs to trees or blobs are left out. */
    private List<RevCommit> tips(Map<String, String> refs, boolean branchesOnly) throws IOException {
        List<RevCommit> tips = new ArrayList<>();
        for (Map.Entry<String, String> e : refs.entrySet()) {
            if (branchesOnly && !e.getKey().startsWith("refs/heads/")) {
                continue;
            }
            if (peel(ObjectId.fromString(e.getValue())) instanceof RevCommit c) {
                tips.add(c);
            }
        }
        return tips;
    }

    private RevObject peel(ObjectId id) throws IOException {
        RevObject o = walk.parseAny(id);
        while (o instanceof RevTag tag) {
            o = walk.parseAny(tag.getObject());
        }
        return o;
    }

    /** A known-good id (full or abbreviated) as a commit of the scratch repository, or null when it has none. */
    private RevCommit commit(String id) throws IOException {
        try {
            ObjectId resolved = repo.resolve(id.trim() + "^{commit}");
            return resolved == null ? null : walk.parseCommit(resolved);
        } catch (RevisionSyntaxException | MissingObjectException | IncorrectObjectTypeException
                | org.eclipse.jgit.errors.AmbiguousObjectException e) {
            return null;
        }
    }

    @Override
    public void close() {
        walk.close();
    }
}
