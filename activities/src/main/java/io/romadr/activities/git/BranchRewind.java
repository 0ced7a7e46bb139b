package io.romadr.activities.git;

import io.romadr.activities.git.GitTransports.OpenTransport;
import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Force-pushes a remote's branch back to the first commit of its history (the end of its first-parent chain): the
 * seed's "force-push destroyed history", which a Scenario 4 drill injects. Through the mirror's remote access
 * ({@link RemoteGit}, credentials as the remote names them); the history is read into a scratch repository deleted
 * afterwards. A branch already at its root commit is left as it is, so a retry never pushes twice.
 */
public final class BranchRewind {
    static final String REFUSED = "GitForcePushRefused";

    /**
     * What the rewind did.
     *
     * @param ref     the branch ("refs/heads/main")
     * @param before  its commit before
     * @param root    its root commit, where it is now
     * @param rewound true when this call moved it; false when it was at its root commit already
     */
    public record Result(String ref, String before, String root, boolean rewound) {
    }

    private final Path scratchRoot;
    private final GitTransports transports;
    private final RemoteGit remotes;

    /** @param env looks up the environment variables a remote names for its credentials */
    public BranchRewind(Path workRoot, Function<String, String> env) {
        this.scratchRoot = workRoot.resolve("scratch");
        this.transports = new GitTransports(env);
        this.remotes = new RemoteGit(transports);
    }

    /** Rewinds {@code branch} ("main"; empty: the remote's default branch, what its HEAD points to). */
    public Result rewindToRoot(GitRemote remote, String branch) throws IOException {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("force-push "
                + remote.name());
        try (ScratchRepository scratch = ScratchRepository.bare(scratchRoot, "rewind-")) {
            Repository repo = scratch.repo();
            Map<String, String> refs = new TreeMap<>();
            String head = advertised(repo, remote, refs);
            String ref = "refs/heads/" + (branch == null || branch.isBlank()
                    ? defaultBranch(remote, refs, head)
                    : branch);
            String tip = refs.get(ref);
            if (tip == null) {
                throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " (" + remote
                        .displayUrl() + ") has no branch " + ref + " (it has: " + refs.keySet() + ")", REFUSED);
            }
            remotes.fetch(repo, remote, "primary", List.of(new RefSpec("+" + ref + ":" + ref)), monitor);
            ObjectId root;
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit c = walk.parseCommit(ObjectId.fromString(tip));
                while (c.getParentCount() > 0) {
                    c = walk.parseCommit(c.getParent(0));
                }
                root = c.getId();
            }
            if (root.name().equals(tip)) {
                return new Result(ref, tip, tip, false);
            }
            RemoteRefUpdate update = new RemoteRefUpdate(repo, null, root, ref, true, null, ObjectId.fromString(tip));
            PushResult pushed = remotes.push(repo, remote, "primary", List.of(update), monitor);
            RemoteRefUpdate u = pushed.getRemoteUpdate(ref);
            if (u == null || u.getStatus() != RemoteRefUpdate.Status.OK) {
                String why = u == null ? ref + ": no answer" : RemoteGit.rejection(u);
                if (u != null && u.getStatus() == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED) {
                    // the branch moved between the fetch and the push: a retry rewinds the new tip
                    throw new IOException("remote " + remote.name() + " changed meanwhile: " + why);
                }
                throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " (" + remote
                        .displayUrl() + ") refused the force-push: " + RemoteGit.clean(remote, why), REFUSED);
            }
            return new Result(ref, tip, root.name(), true);
        }
    }

    /** Fills {@code refs} with the remote's branches and tags; answers the branch HEAD names, when it says. */
    private String advertised(Repository local, GitRemote remote, Map<String, String> refs) {
        try (OpenTransport t = transports.open(local, remote);
                FetchConnection conn = t.transport().openFetch()) {
            refs.putAll(RemoteGit.headsAndTags(conn.getRefs()));
            Ref head = conn.getRef("HEAD");
            if (head == null) {
                return null;
            }
            if (head.isSymbolic()) {
                return head.getTarget().getName();
            }
            // no symref advertised: the branch at HEAD's commit, main or master first
            String at = head.getObjectId() == null ? null : head.getObjectId().name();
            return List.of("refs/heads/main", "refs/heads/master").stream().filter(r -> at != null && at.equals(
                    refs.get(r))).findFirst().orElseGet(() -> refs.entrySet().stream()
                            .filter(e -> e.getKey()
                                    .startsWith("refs/heads/") && e.getValue().equals(at))
                            .map(Map.Entry::getKey)
                            .findFirst().orElse(null));
        } catch (TransportException | NotSupportedException e) {
            throw RemoteGit.unreachable(remote, "primary", e);
        }
    }

    private static String defaultBranch(GitRemote remote, Map<String, String> refs, String head) {
        if (head != null && head.startsWith("refs/heads/") && refs.containsKey(head)) {
            return head.substring("refs/heads/".length());
        }
        for (String name : List.of("main", "master")) {
            if (refs.containsKey("refs/heads/" + name)) {
                return name;
            }
        }
        throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " (" + remote.displayUrl()
                + ") has no default branch to force-push (no HEAD, main or master): name one as the drill's target",
                REFUSED);
    }
}
