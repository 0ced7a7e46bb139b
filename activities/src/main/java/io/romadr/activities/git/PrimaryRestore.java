package io.romadr.activities.git;

import io.romadr.scenario.gitloss.GitRestoreRequest;
import io.romadr.scenario.gitloss.GitRestoreResult;
import io.romadr.plan.GitRemote;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * Makes the primary's branches and tags equal to the chosen refs: one push from a scratch repository holding the
 * source, force-updating what differs, creating what is missing and deleting branches and tags the chosen history
 * does not have; every update carries the id just listed, so a concurrent change of the primary is refused, not
 * overwritten. Refs already equal are left alone, which makes a second run a no-op.
 */
final class PrimaryRestore {
    private final RemoteGit remotes;
    private final HeartbeatProgressMonitor monitor;

    PrimaryRestore(RemoteGit remotes, HeartbeatProgressMonitor monitor) {
        this.remotes = remotes;
        this.monitor = monitor;
    }

    /** {@code scratch} already holds the source's objects ({@link RecoverySource#fetch}). */
    GitRestoreResult push(Repository scratch, GitRestoreRequest request, boolean recreated) throws IOException {
        GitRemote primary = request.primary();
        Map<String, String> wanted = RemoteGit.wantedHeadsAndTags(request.refs());
        monitor.beatNow("listing " + primary.name());
        Map<String, String> before = listPrimary(scratch, primary, recreated);

        List<RemoteRefUpdate> updates = new ArrayList<>();
        int unchanged = 0;
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String old = before.get(e.getKey());
            if (e.getValue().equals(old)) {
                unchanged++;
                continue;
            }
            updates.add(new RemoteRefUpdate(scratch, null, ObjectId.fromString(e.getValue()), e.getKey(), true, null,
                    old == null ? ObjectId.zeroId() : ObjectId.fromString(old)));
        }
        for (Map.Entry<String, String> e : before.entrySet()) {
            if (!wanted.containsKey(e.getKey())) {
                updates.add(new RemoteRefUpdate(scratch, null, null, e.getKey(), true, null,
                        ObjectId.fromString(e.getValue())));
            }
        }

        List<String> updated = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!updates.isEmpty()) {
            PushResult result = remotes.push(scratch, primary, "primary", updates, monitor);
            for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                String ref = u.getRemoteName();
                if (u.getStatus() == RemoteRefUpdate.Status.OK) {
                    updated.add(u.isDelete() ? "deleted " + ref : ref);
                } else {
                    problems.add(RemoteGit.rejection(u));
                }
            }
        }

        monitor.beatNow("verifying " + primary.name());
        Map<String, String> after = remotes.lsRemote(scratch, primary, "primary");
        if (problems.isEmpty() && !after.equals(wanted)) {
            problems.add("after the push the primary lists " + after.size() + " branch(es)/tag(s) that differ "
                    + "from the " + wanted.size() + " chosen");
        }
        String problem = problems.isEmpty()
                ? ""
                : "primary " + primary.name() + " (" + primary.displayUrl()
                        + ") rejected: " + String.join("; ", problems);
        return new GitRestoreResult(recreated, updated.stream().sorted().toList(), unchanged, problem);
    }

    private Map<String, String> listPrimary(Repository scratch, GitRemote primary, boolean recreated) {
        try {
            return remotes.lsRemote(scratch, primary, "primary");
        } catch (GitRemoteUnreachableException e) {
            if (!recreated) {
                throw e;
            }
            throw new GitRemoteUnreachableException("primary remote " + primary.name() + " ("
                    + primary.displayUrl() + ") still unreachable after running the recreate commands: "
                    + e.detail(), e.detail());
        }
    }
}
