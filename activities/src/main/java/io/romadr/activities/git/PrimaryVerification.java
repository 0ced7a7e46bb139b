package io.romadr.activities.git;

import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.scenario.gitloss.GitVerifyRequest;
import io.romadr.scenario.gitloss.GitVerifyResult;
import io.romadr.plan.CommandStep;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.CreateBranchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The seed's step 3 on a restored primary: a fresh clone (every branch and tag, the branch checked out) compared with
 * the source (the branch's commit count and last 10 commits, the chosen tags), then the plan's verify commands in the
 * clone's working tree.
 */
final class PrimaryVerification {
    static final int LAST_COMMITS = 10;
    private static final int TAIL_LINES = 5;
    private static final List<RefSpec> CLONE_SPECS = List.of(new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"));

    private final RemoteGit remotes;
    private final HostCommandRunner commands;
    private final HeartbeatProgressMonitor monitor;

    PrimaryVerification(RemoteGit remotes, HostCommandRunner commands, HeartbeatProgressMonitor monitor) {
        this.remotes = remotes;
        this.commands = commands;
        this.monitor = monitor;
    }

    /** {@code source} already holds the source's objects ({@link RecoverySource#fetch}); {@code clone} is empty. */
    GitVerifyResult verify(GitVerifyRequest request, Repository source, Repository clone, Path cloneDir)
            throws IOException {
        String branch = request.branch() == null || request.branch().isBlank() ? "main" : request.branch();
        String branchRef = "refs/heads/" + branch;
        List<String> problems = new ArrayList<>();

        long expectedCount = 0;
        List<String> expectedLast = List.of();
        String expectedTip = request.refs().get(branchRef);
        if (expectedTip == null) {
            problems.add("branch " + branch + " is not among the chosen refs");
        } else {
            expectedCount = count(source, expectedTip);
            expectedLast = last(source, expectedTip);
        }

        monitor.beatNow("cloning " + request.primary().name());
        remotes.fetch(clone, request.primary(), "primary", CLONE_SPECS, monitor);
        Ref remoteBranch = clone.exactRef("refs/remotes/origin/" + branch);
        long count = 0;
        List<String> lastCommits = List.of();
        boolean checkedOut = false;
        if (remoteBranch == null) {
            problems.add("branch " + branch + " is missing on the primary");
        } else {
            count = count(clone, remoteBranch.getObjectId().name());
            lastCommits = last(clone, remoteBranch.getObjectId().name());
            checkedOut = checkout(clone, request, branch, problems);
        }

        List<String> missingTags = new ArrayList<>();
        for (Map.Entry<String, String> e : request.refs().entrySet()) {
            if (e.getKey().startsWith("refs/tags/")) {
                Ref tag = clone.exactRef(e.getKey());
                if (tag == null || !tag.getObjectId().name().equals(e.getValue())) {
                    missingTags.add(e.getKey());
                }
            }
        }

        List<String> results = new ArrayList<>();
        boolean commandsOk = true;
        if (checkedOut) {
            for (CommandStep step : request.verify()) {
                String line = run(step, cloneDir);
                results.add(line);
                commandsOk &= line.equals(step.name() + ": OK");
            }
        } else if (!request.verify().isEmpty()) {
            problems.add("verify commands not run: no checkout of " + branch);
            commandsOk = false;
        }

        boolean ok = problems.isEmpty() && commandsOk && missingTags.isEmpty() && count == expectedCount
                && lastCommits.equals(expectedLast);
        return new GitVerifyResult(ok, count, expectedCount, lastCommits, expectedLast, missingTags, results,
                String.join("; ", problems));
    }

    private boolean checkout(Repository clone, GitVerifyRequest request, String branch, List<String> problems)
            throws IOException {
        // Like a clone made by git: origin is the primary and the branch tracks it, for commands that use them.
        StoredConfig config = clone.getConfig();
        config.setString("remote", "origin", "url", request.primary().url());
        config.setString("remote", "origin", "fetch", "+refs/heads/*:refs/remotes/origin/*");
        config.save();
        try (Git git = Git.wrap(clone)) {
            git.checkout().setCreateBranch(true).setName(branch).setStartPoint("refs/remotes/origin/" + branch)
                    .setUpstreamMode(CreateBranchCommand.SetupUpstreamMode.TRACK).call();
            return true;
        } catch (GitAPIException e) {
            problems.add("checkout of " + branch + " in the clone failed: " + HistoryFetch.oneLine(e.getMessage()));
            return false;
        }
    }

    /** "name: OK" or "name: FAILED exit N: last lines of output". */
    private String run(CommandStep step, Path cloneDir) {
        Path workdir = step.workdir() == null || step.workdir().isBlank() ? cloneDir : cloneDir.resolve(step.workdir());
        monitor.beatNow("verify " + step.name());
        HostCommandRunner.Result r;
        io.romadr.activities.plan.PlanEnvironment.Resolved env = io.romadr.activities.plan.PlanEnvironment
                .resolve(step.env());
        try {
            r = commands.run(step.command(), workdir, env.values(), step.timeout(),
                    () -> monitor.beatNow("verify " + step.name()));
        } catch (IOException e) {
            return step.name() + ": FAILED could not start: " + LogRedactor.redact(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running verify command " + step.name(), e);
        }
        if (r.ok()) {
            return step.name() + ": OK";
        }
        String how = r.timedOut() ? "timed out after " + step.timeout().toSeconds() + " s" : "exit " + r.exitCode();
        return step.name() + ": FAILED " + how + ": " + tail(env.mask(r.outputTail()));
    }

    private static String tail(String output) {
        List<String> lines = Arrays.stream(output.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "(no output)";
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    private static long count(Repository repo, String tip) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setRetainBody(false);
            walk.markStart(walk.parseCommit(ObjectId.fromString(tip)));
            long n = 0;
            while (walk.next() != null) {
                n++;
            }
            return n;
        }
    }

    /** Newest first, topologically ordered so both sides list an identical graph identically. */
    private static List<String> last(Repository repo, String tip) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.sort(RevSort.TOPO, true);
            walk.markStart(walk.parseCommit(ObjectId.fromString(tip)));
            List<String> out = new ArrayList<>();
            RevCommit c;
            while (out.size() < LAST_COMMITS && (c = walk.next()) != null) {
                out.add(c.name() + " " + c.getShortMessage());
            }
            return out;
        }
    }
}
