package io.romadr.activities.git;

import io.romadr.activities.plan.CommandStepRunner;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.scenario.gitloss.GitAssessRequest;
import io.romadr.scenario.gitloss.GitCandidate;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitProbeRequest;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.scenario.gitloss.GitRestoreRequest;
import io.romadr.scenario.gitloss.GitRestoreResult;
import io.romadr.scenario.gitloss.GitVerifyRequest;
import io.romadr.scenario.gitloss.GitVerifyResult;
import io.romadr.plan.CommandStep;
import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;

/**
 * {@link GitRecoveryActivities} with JGit, reusing the mirror's remote access ({@link RemoteGit},
 * {@link GitTransports}: credentials from the environment variables a remote names, looked up with {@code env}).
 * Every history is read into a scratch repository under {@code workRoot/scratch}, made per call and deleted
 * afterwards, so retries and concurrent plans never share one. {@code commands} runs the plan's recreate and verify
 * steps on the worker host.
 */
public class JGitRecoveryActivities implements GitRecoveryActivities {
    private final Path scratchRoot;
    private final RemoteGit remotes;
    private final HostCommandRunner commands;
    private final CommandStepRunner steps;

    public JGitRecoveryActivities(Path workRoot, Function<String, String> env, HostCommandRunner commands) {
        this.scratchRoot = workRoot.resolve("scratch");
        this.remotes = new RemoteGit(new GitTransports(env));
        this.commands = commands;
        this.steps = new CommandStepRunner(commands);
    }

    @Override
    public GitProbe probeRemote(GitProbeRequest request) {
        GitRemote remote = request.remote();
        // ls-remote needs a repository only to open the transport; nothing is written to it.
        // An in-memory repository needs a file system handle, or the local-path transport cannot open the remote.
        try (InMemoryRepository none = new InMemoryRepository.Builder()
                .setRepositoryDescription(new DfsRepositoryDescription("probe"))
                .setFS(org.eclipse.jgit.util.FS.DETECTED).build()) {
            Map<String, String> refs = remotes.lsRemote(none, remote, "probed");
            return new GitProbe(remote.name(), remote.displayUrl(), true, refs, "");
        } catch (GitRemoteUnreachableException e) {
            return new GitProbe(remote.name(), remote.displayUrl(), false, Map.of(), problem(e.detail()));
        } catch (IOException e) {
            throw new UncheckedIOException("probing " + remote.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<GitCandidate> assessCandidates(GitAssessRequest request) {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("assess " + request.plan());
        try (ScratchRepository scratch = ScratchRepository.bare(scratchRoot, "assess-" + safe(request.plan()) + "-")) {
            // The candidates as fetched (refs, or a problem), in the request's order.
            List<GitCandidate> fetched = new ArrayList<>();
            Set<String> namespaces = new HashSet<>();
            for (GitRemote remote : request.remotes()) {
                monitor.beatNow("fetching " + remote.name());
                namespaces.add(remote.name());
                fetched.add(fetchRemote(scratch, remote, monitor));
            }
            for (int i = 0; i < request.bundles().size(); i++) {
                Path bundle = Path.of(request.bundles().get(i));
                monitor.beatNow("reading bundle " + bundle.getFileName());
                // A remote may be called "bundle-1" too: its refs must not be overwritten by a bundle's.
                String namespace = "bundle-" + (i + 1);
                while (!namespaces.add(namespace)) {
                    namespace = "_" + namespace;
                }
                fetched.add(fetchBundle(scratch, bundle, namespace, monitor));
            }
            monitor.beatNow("comparing histories");
            return describe(scratch, fetched, request.knownGood());
        } catch (IOException e) {
            throw new UncheckedIOException("assessing the candidates of plan " + request.plan() + " failed in the "
                    + "worker's scratch repository under " + scratchRoot + ": " + e.getMessage(), e);
        }
    }

    /**
     * A primary that is a local path (or file:// URL) and gone is initialised as a bare repository right here, with
     * HEAD on the restored main branch; remote primaries need the plan's recreate commands. Returns whether it did.
     */
    static boolean initLocalPrimary(GitRestoreRequest request) {
        String url = request.primary().url();
        boolean local = url.startsWith("/") || url.startsWith("file:");
        if (!local) {
            return false;
        }
        java.io.File dir = url.startsWith("file:") ? new java.io.File(java.net.URI.create(url)) : new java.io.File(url);
        if (dir.exists() && org.eclipse.jgit.lib.RepositoryCache.FileKey.isGitRepository(dir,
                org.eclipse.jgit.util.FS.DETECTED)) {
            return false;
        }
        String head = request.refs().containsKey("refs/heads/main")
                ? "main"
                : request.refs().keySet().stream().filter(r -> r.startsWith("refs/heads/")).findFirst()
                        .map(r -> r.substring("refs/heads/".length())).orElse("main");
        try {
            org.eclipse.jgit.api.Git.init().setBare(true).setInitialBranch(head).setDirectory(dir).call().close();
            return true;
        } catch (org.eclipse.jgit.api.errors.GitAPIException e) {
            throw ApplicationFailure.newFailure("could not initialise the local primary " + request.primary().name()
                    + " at " + dir + ": " + e.getMessage(), "GitRecreateFailed");
        }
    }

    @Override
    public GitRestoreResult restorePrimary(GitRestoreRequest request) {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("restore "
                + request.primary().name());
        if (request.refs().keySet().stream().noneMatch(r -> r.startsWith("refs/heads/"))) {
            // The primary is made equal to the refs: none would delete every branch it has.
            throw ApplicationFailure.newNonRetryableFailure("restore of primary " + request.primary().name()
                    + " names no branch to restore; refusing to empty the primary", "InvalidGitRequest");
        }
        boolean recreated = false;
        if (request.primaryMissing() && !request.recreate().isEmpty()) {
            for (CommandStep step : request.recreate()) {
                runRecreateStep(step, monitor);
            }
            recreated = true;
        } else if (request.primaryMissing()) {
            recreated = initLocalPrimary(request);
        }
        try (ScratchRepository scratch = ScratchRepository.bare(scratchRoot, "restore-" + safe(request.plan())
                + "-")) {
            monitor.beatNow("fetching the source");
            RecoverySource.fetch(remotes, scratch.repo(), request.sourceRemote(), request.sourceBundle(),
                    request.refs(), monitor);
            return new PrimaryRestore(remotes, monitor).push(scratch.repo(), request, recreated);
        } catch (IOException e) {
            throw new UncheckedIOException("restoring primary " + request.primary().name() + " of plan "
                    + request.plan() + " from " + RecoverySource.describe(request.sourceRemote(),
                            request.sourceBundle())
                    + " failed in the worker's scratch repository: " + e.getMessage(), e);
        }
    }

    @Override
    public GitVerifyResult verifyPrimary(GitVerifyRequest request) {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("verify "
                + request.primary().name());
        try (ScratchRepository source = ScratchRepository.bare(scratchRoot, "verify-source-" + safe(request.plan())
                + "-");
                ScratchRepository clone = ScratchRepository.withWorkTree(scratchRoot, "verify-clone-"
                        + safe(request.plan()) + "-")) {
            monitor.beatNow("fetching the source");
            RecoverySource.fetch(remotes, source.repo(), request.sourceRemote(), request.sourceBundle(),
                    request.refs(), monitor);
            return new PrimaryVerification(remotes, commands, monitor).verify(request, source.repo(), clone.repo(),
                    clone.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("verifying primary " + request.primary().name() + " of plan "
                    + request.plan() + " failed in the worker's scratch repositories: " + e.getMessage(), e);
        }
    }

    // ---- assess ------------------------------------------------------------------------------------------------

    private GitCandidate fetchRemote(ScratchRepository scratch, GitRemote remote, HeartbeatProgressMonitor monitor)
            throws IOException {
        try {
            Map<String, String> refs = HistoryFetch.fromRemote(remotes, scratch.repo(), remote, "candidate",
                    "candidates/" + remote.name(), monitor);
            return candidate(remote.name(), "remote", remote.displayUrl(), refs, "");
        } catch (GitRemoteUnreachableException e) {
            return candidate(remote.name(), "remote", remote.displayUrl(), Map.of(), "fetch failed: "
                    + problem(e.detail()));
        }
    }

    private GitCandidate fetchBundle(ScratchRepository scratch, Path bundle, String namespace,
            HeartbeatProgressMonitor monitor) throws IOException {
        String name = "bundle:" + bundle.getFileName();
        try {
            HistoryFetch.verifyAlone(bundle, scratchRoot, monitor);
            Map<String, String> refs = HistoryFetch.fromBundle(scratch.repo(), bundle, "candidates/" + namespace,
                    monitor);
            return candidate(name, "bundle", bundle.toString(), refs, "");
        } catch (HistoryFetch.BundleUnreadableException e) {
            return candidate(name, "bundle", bundle.toString(), Map.of(), e.getMessage());
        }
    }

    private static List<GitCandidate> describe(ScratchRepository scratch, List<GitCandidate> fetched,
            List<String> knownGood) throws IOException {
        List<GitCandidate> out = new ArrayList<>();
        try (CandidateAncestry ancestry = new CandidateAncestry(scratch.repo())) {
            for (GitCandidate c : fetched) {
                if (!c.problem().isEmpty()) {
                    out.add(c);
                    continue;
                }
                List<String> contains = new ArrayList<>();
                for (GitCandidate other : fetched) {
                    if (other != c && other.problem().isEmpty() && ancestry.contains(c.refs(), other.refs())) {
                        contains.add(other.name());
                    }
                }
                out.add(new GitCandidate(c.name(), c.source(), c.location(), c.refs(),
                        ancestry.missingKnownGood(c.refs(), knownGood), contains, ancestry.commitCount(c.refs()),
                        ""));
            }
        }
        return out;
    }

    private static GitCandidate candidate(String name, String source, String location, Map<String, String> refs,
            String problem) {
        return new GitCandidate(name, source, location, refs, List.of(), List.of(), 0, problem);
    }

    // ---- restore -----------------------------------------------------------------------------------------------

    /** A failing step is retryable: plan steps are safe to run twice, and the hosting may be briefly down. */
    private void runRecreateStep(CommandStep step, HeartbeatProgressMonitor monitor) {
        monitor.beatNow("recreate " + step.name());
        steps.run(step, "recreate step", () -> monitor.beatNow("recreate " + step.name()));
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    /** JGit's reason with the usual causes named plainly first, for the workflow's report. */
    static String problem(String detail) {
        String d = detail.toLowerCase(java.util.Locale.ROOT);
        if (d.contains("connection refused")) {
            return "connection refused: " + detail;
        }
        if (d.contains("not found") || d.contains("no such repository") || d.contains("not exported")
                || d.contains("does not appear to be a git repository")) {
            return "repository not found: " + detail;
        }
        if (d.contains("not authorized") || d.contains("authentication")) {
            return "credentials refused: " + detail;
        }
        return detail;
    }

    /** A plan name as part of a temporary directory name. */
    private static String safe(String plan) {
        return plan == null ? "plan" : plan.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
