package io.romadr.activities.git;

import io.romadr.backup.VerificationStatus;
import io.romadr.plan.GitRemote;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;

/**
 * Integrity of one backup: fetch all its branches and tags into a new, empty repository (so every object really
 * comes from the backup, none is found locally), with JGit checking every received object, then walk every ref's
 * history to prove all objects are present and connected. The repository is deleted afterwards. This reads the
 * whole backup, which is the point of an integrity check.
 */
final class IntegrityCheck {
    private IntegrityCheck() {
    }

    record Result(VerificationStatus status, String evidence) {
    }

    /** {@code listed} is the backup's ref list read just before (so an unreachable backup was already reported). */
    static Result run(RemoteGit remotes, GitRemote backup, Map<String, String> listed, Path workDir,
            ProgressMonitor monitor) throws IOException {
        if (listed.isEmpty()) {
            return new Result(VerificationStatus.OK, "backup has no branches or tags to check");
        }
        try (ScratchRepository scratchDir = ScratchRepository.bare(workDir, "integrity-" + backup.name() + "-")) {
            Repository scratch = scratchDir.repo();
            try {
                remotes.fetch(scratch, backup, "backup", JGitMirrorActivities.HEADS_AND_TAGS, monitor);
            } catch (IOException | RuntimeException e) {
                // The backup answered the listing a moment ago, so a failing fetch is the backup failing to
                // send its objects (missing or damaged ones), or received objects failing JGit's checks.
                return new Result(VerificationStatus.CORRUPT, "fetch of all refs failed: " + message(backup, e));
            }
            Map<String, String> fetched = RemoteGit.headsAndTags(scratch.getRefDatabase().getRefs());
            if (!fetched.equals(listed)) {
                return new Result(VerificationStatus.CORRUPT, "fetched refs differ from the listed ones: listed "
                        + listed.size() + ", fetched " + fetched.size());
            }
            return walk(scratch, fetched);
        }
    }

    /** Every commit, tree, blob and tag reachable from the refs must be readable. */
    private static Result walk(Repository repo, Map<String, String> refs) throws IOException {
        long objects = 0;
        try (ObjectWalk walk = new ObjectWalk(repo)) {
            for (String id : refs.values()) {
                walk.markStart(walk.parseAny(ObjectId.fromString(id)));
            }
            while (walk.next() != null) {
                objects++;
            }
            RevObject o;
            while ((o = walk.nextObject()) != null) {
                if (o.getType() == Constants.OBJ_BLOB && !walk.getObjectReader().has(o)) {
                    throw new MissingObjectException(o, Constants.OBJ_BLOB);
                }
                objects++;
            }
        } catch (MissingObjectException e) {
            return new Result(VerificationStatus.CORRUPT, "object " + e.getObjectId().name() + " missing after "
                    + "fetching every ref");
        }
        return new Result(VerificationStatus.OK, refs.size() + " ref(s) fetched with " + objects
                + " object(s), all present and connected");
    }

    /** The reason alone: the row already names the backup. */
    private static String message(GitRemote backup, Exception e) {
        return e instanceof GitRemoteUnreachableException u ? u.detail() : RemoteGit.clean(backup, e.getMessage());
    }
}
