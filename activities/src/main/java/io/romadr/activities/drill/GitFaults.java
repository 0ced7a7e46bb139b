package io.romadr.activities.drill;

import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.git.BranchRewind;
import io.romadr.activities.git.GitRemoteUnreachableException;
import io.romadr.plan.GitRemote;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitProbeRequest;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.util.FS;

/**
 * Scenario 4's drill on the plan's primary git remote: a branch force-pushed back to its root commit
 * ({@code force-push}, any remote the worker can push to), or the repository deleted ({@code delete}, a local path
 * or {@code file:} URL only: nothing here deletes a hosted repository). The verification probes the primary and
 * compares every ref with the commit it had before the fault.
 */
public final class GitFaults implements ScenarioFaults {
    static final String FINGERPRINT = "git:";
    static final String NO_GIT = "DrillNoGit";
    static final String NOT_LOCAL = "DrillGitNotLocal";
    /** Where a deletion moves the repository first, so a retry after a crash mid-way finishes it. */
    static final String DELETING = ".roma-drill-deleting";

    private final GitRecoveryActivities git;
    private final BranchRewind rewind;

    /**
     * @param git    probes remotes (their refs)
     * @param rewind force-pushes a branch back to its root commit
     */
    public GitFaults(GitRecoveryActivities git, BranchRewind rewind) {
        this.git = git;
        this.rewind = rewind;
    }

    @Override
    public String scenario() {
        return "git-loss";
    }

    @Override
    public void document(RecoveryPlan plan, List<String> lines, Map<String, String> fingerprints) {
        GitRemote primary = primary(plan);
        GitProbe probe = probe(plan, primary);
        if (!probe.reachable()) {
            // Nothing to compare the recovery with: a drill of a primary already lost measures nothing.
            throw ApplicationFailure.newFailure("the git primary " + primary.name() + " (" + primary.displayUrl()
                    + ") is unreachable before the fault: " + probe.problem(),
                    GitRemoteUnreachableException.class
                            .getSimpleName());
        }
        lines.add("git " + primary.name() + " refs recorded to compare after the recovery: " + probe.refs().size());
        probe.refs().forEach((ref, id) -> fingerprints.put(key(primary, ref), id));
    }

    @Override
    public FaultResult inject(FaultRequest request, int attempt) {
        GitRemote primary = primary(request.plan());
        return switch (request.fault()) {
            case "force-push" -> forcePush(primary, request.target(), attempt);
            case "delete" -> delete(primary, attempt);
            default -> throw ApplicationFailure.newNonRetryableFailure("unknown fault \"" + request.fault()
                    + "\" (force-push or delete)", IllegalArgumentException.class.getName());
        };
    }

    private FaultResult forcePush(GitRemote primary, String branch, int attempt) {
        BranchRewind.Result r;
        try {
            r = rewind.rewindToRoot(primary, branch);
        } catch (GitRemoteUnreachableException e) {
            throw ApplicationFailure.newFailure(e.getMessage(), GitRemoteUnreachableException.class.getSimpleName());
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded("force-pushing " + primary.name()
                    + " failed: " + e.getMessage()), "DrillIOError");
        }
        String where = r.ref() + " of " + primary.name() + " (" + primary.displayUrl() + ")";
        return r.rewound()
                ? new FaultResult(true, false, "force-pushed " + where + " from " + abbrev(r.before())
                        + " back to its root commit " + abbrev(r.root()), attempt)
                : new FaultResult(false, false, where + " already at its root commit " + abbrev(r.root())
                        + " (force-pushed by an earlier attempt, or it has a single commit)", attempt);
    }

    private FaultResult delete(GitRemote primary, int attempt) {
        Path repo = localPath(primary);
        Path aside = repo.resolveSibling(repo.getFileName() + DELETING);
        boolean present = Files.exists(repo, LinkOption.NOFOLLOW_LINKS);
        try {
            if (present) {
                if (!isRepository(repo)) {
                    throw ApplicationFailure.newNonRetryableFailure("the git primary " + primary.name() + " at "
                            + repo + " is not a git repository: refusing to delete it", NOT_LOCAL);
                }
                Files.move(repo, aside, StandardCopyOption.ATOMIC_MOVE);
            }
            AtomicSwap.deleteTree(aside); // also what an earlier attempt moved aside and did not finish deleting
        } catch (IOException e) {
            throw ApplicationFailure.newFailure(FailureMessages.bounded("deleting the git primary " + repo
                    + " failed: " + e.getMessage()), "DrillIOError");
        }
        return present
                ? new FaultResult(true, false, "deleted the git primary " + primary.name() + " at " + repo, attempt)
                : new FaultResult(false, false, "the git primary " + primary.name() + " at " + repo
                        + " already deleted", attempt);
    }

    @Override
    public DrillVerification verify(VerifyRecoveredRequest request) {
        GitRemote primary = primary(request.plan());
        GitProbe probe = probe(request.plan(), primary);
        List<String> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!probe.reachable()) {
            String line = "git primary " + primary.name() + " (" + primary.displayUrl() + ") unreachable: "
                    + probe.problem();
            return new DrillVerification(false, List.of(line), List.of(line), "");
        }
        checks.add("git primary " + primary.name() + " (" + primary.displayUrl() + ") reachable, "
                + probe.refs().size() + " ref(s)");
        String prefix = key(primary, "");
        Map<String, String> before = new LinkedHashMap<>();
        request.before().fingerprints().entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> before.put(e.getKey().substring(prefix.length()), e.getValue()));
        if (before.isEmpty()) {
            checks.add("no git refs recorded before the fault: data loss not measured");
            return new DrillVerification(true, checks, problems, "");
        }
        List<String> lost = new ArrayList<>();
        before.forEach((ref, id) -> {
            String now = probe.refs().get(ref);
            if (id.equals(now)) {
                return;
            }
            String line = ref + (now == null ? " missing" : " at " + abbrev(now)) + ", before " + abbrev(id);
            lost.add(line);
            problems.add("git primary " + primary.name() + ": " + line);
        });
        checks.add((before.size() - lost.size()) + " of " + before.size() + " refs of " + primary.name()
                + " at their commits from before the fault");
        checks.addAll(problems);
        return new DrillVerification(problems.isEmpty(), checks, problems,
                lost.isEmpty() ? "None" : String.join("; ", lost));
    }

    private GitProbe probe(RecoveryPlan plan, GitRemote remote) {
        if (git == null) {
            throw ApplicationFailure.newNonRetryableFailure("this worker has no git activities to probe "
                    + remote.name(), NO_GIT);
        }
        return git.probeRemote(new GitProbeRequest(plan.name(), remote));
    }

    private static GitRemote primary(RecoveryPlan plan) {
        if (plan.backup() == null || plan.backup().git() == null) {
            throw ApplicationFailure.newNonRetryableFailure("plan " + plan.name() + " has no backup.git section:"
                    + " no git primary to drill", NO_GIT);
        }
        return plan.backup().git().primary();
    }

    /** The directory of a local path or {@code file:} remote; any other URL is refused. */
    static Path localPath(GitRemote remote) {
        URIish uri;
        try {
            uri = new URIish(remote.url());
        } catch (URISyntaxException e) {
            throw ApplicationFailure.newNonRetryableFailure("remote " + remote.name() + " has an invalid url "
                    + remote.displayUrl(), NOT_LOCAL);
        }
        String scheme = uri.getScheme();
        if ((scheme == null && uri.getHost() == null) || "file".equals(scheme)) {
            return Path.of(uri.getPath()).toAbsolutePath().normalize();
        }
        throw ApplicationFailure.newNonRetryableFailure("cannot delete a remote repository over "
                + (scheme == null ? "ssh" : scheme) + ": use force-push", NOT_LOCAL);
    }

    private static boolean isRepository(Path dir) {
        return RepositoryCache.FileKey.isGitRepository(dir.toFile(), FS.DETECTED)
                || RepositoryCache.FileKey.isGitRepository(dir.resolve(".git").toFile(), FS.DETECTED);
    }

    private static String key(GitRemote remote, String ref) {
        return FINGERPRINT + remote.name() + ":" + ref;
    }

    private static String abbrev(String id) {
        return id == null ? "none" : id.substring(0, Math.min(8, id.length()));
    }
}
