package io.romadr.drill;

import io.romadr.activities.git.BranchRewind;
import io.romadr.plan.GitRemote;
import io.romadr.report.ApprovalDecision;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.GitMirrorReport;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.scenario.gitloss.GitRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryRequest;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.worker.host.EmbeddedHost;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Scenario 4 drill on the embedded default: local bare repositories as the primary and the backup remote (JGit
 * only, no git binary needed), a history mirrored by the real GitMirrorWorkflow, then each fault in turn (the primary
 * force-pushed back to an old commit; the primary deleted) recovered by the real GitRecoveryWorkflow, the drill
 * answering its approval request as the operator would.
 */
@Command(name = "git-loss", mixinStandardHelpOptions = true,
        description = "Scenario 4 drill: destroy a sandbox primary git repository (force-push, then delete) and "
                + "recover it from the backup remote.")
public final class GitLossDrill implements Callable<Integer> {
    static final String PLAN = "drill-git";
    private static final PersonIdent DEV = new PersonIdent("Roma Drill", "drill@roma-dr.invalid");

    @Mixin
    EmbeddedDrill drill;

    @Option(names = "--commits", defaultValue = "200",
            description = "Commits in the sandbox history (default: ${DEFAULT-VALUE}).")
    int commits;

    @Option(names = "--faults", split = ",", defaultValue = "force-push,delete",
            description = "Faults to inject, in order: force-push, delete (default: ${DEFAULT-VALUE}).")
    List<String> faults;

    @Option(names = "--approve-as", defaultValue = "drill",
            description = "Name the drill approves the restore as (default: ${DEFAULT-VALUE}).")
    String approver;

    @Override
    public Integer call() throws Exception {
        for (String f : faults) {
            if (!f.equals("force-push") && !f.equals("delete")) {
                throw drill.usage("unknown fault \"" + f + "\": force-push or delete");
            }
        }
        PrintWriter out = drill.out();
        Path work = Files.createTempDirectory("roma-dr-git-drill-");
        List<GitRecoveryReport> reports = new ArrayList<>();
        try {
            Path primary = work.resolve("repos/primary.git");
            Path backup = work.resolve("repos/backup.git");
            Path dev = work.resolve("dev");
            String head = makeHistory(primary, backup, dev, commits);
            Path plansDir = Files.createDirectories(work.resolve("plans"));
            Files.writeString(plansDir.resolve(PLAN + ".yaml"), planYaml(work, primary, backup));
            try (EmbeddedHost host = drill.startHost(work, plansDir)) {
                WorkflowClient client = host.temporal().client();
                out.println("Sandbox repositories: primary " + primary + ", backup " + backup + "; " + commits
                        + " commits, main at " + head.substring(0, 10));
                mirror(client, out);
                for (String fault : faults) {
                    inject(fault, primary, work);
                    GitRecoveryReport report = recover(host, fault, out);
                    reports.add(report);
                    String restored = mainOf(primary);
                    out.println("Primary main after recovery: "
                            + (restored == null ? "(none)" : restored.substring(0, 10))
                            + (head.equals(restored) ? " = the history before the fault" : " DIFFERS from " + head));
                    out.println();
                }
            }
            List<String> summary = new ArrayList<>();
            boolean allOk = true;
            for (int i = 0; i < reports.size(); i++) {
                GitRecoveryReport r = reports.get(i);
                allOk &= r.recoveredWithinRto();
                summary.add(StepPrinter.summary(faults.get(i), r, "restored from " + r.chosen()));
            }
            return drill.summary(summary, allOk);
        } finally {
            if (!drill.keep()) {
                DrillEnvironment.deleteTree(work);
                // the worker mirrored the sandbox primary into its git cache: the drill's plan, so the drill's to
                // remove
                DrillEnvironment.deleteTree(mirrorCache());
            } else {
                drill.kept("repositories " + work.resolve("repos") + " (primary.git, backup.git), work directory "
                        + work + ", git mirror cache " + mirrorCache(), work.resolve("plans").resolve(PLAN + ".yaml"));
            }
        }
    }

    /** The worker's mirror of the drill plan's primary (see {@link TotalLossDrill#gitMirrorCache}). */
    public static Path mirrorCache() {
        return TotalLossDrill.gitMirrorCache(PLAN);
    }

    /** A primary with {@code n} commits on main, a feature branch and two tags; an empty backup. Returns main. */
    static String makeHistory(Path primary, Path backup, Path dev, int n) throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(primary.toFile()).call().close();
        Git.init().setBare(true).setInitialBranch("main").setDirectory(backup.toFile()).call().close();
        try (Git git = Git.init().setInitialBranch("main").setDirectory(dev.toFile()).call()) {
            for (int i = 1; i <= n; i++) {
                Files.writeString(dev.resolve("file-" + (i % 10) + ".txt"), "change " + i + "\n",
                        StandardCharsets.UTF_8);
                git.add().addFilepattern(".").call();
                git.commit().setMessage("change " + i).setAuthor(DEV).setCommitter(DEV).call();
                if (i == n / 2) {
                    git.tag().setName("v1").setAnnotated(true).setMessage("release 1").setTagger(DEV).call();
                    git.branchCreate().setName("release-1").call();
                }
            }
            git.tag().setName("v2").call();
            git.push().setRemote(primary.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/*:refs/heads/*"),
                    new RefSpec("refs/tags/*:refs/tags/*")).call();
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }

    private static String planYaml(Path work, Path primary, Path backup) {
        return """
                # Scenario 4 drill plan: local bare repositories, approval answered by the drill.
                name: %s
                service:
                  composeProject: drill-git
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                    recovery: { approvalTimeout: 10m, rto: 4h }
                """.formatted(PLAN, work.resolve("store").toUri(), primary, backup);
    }

    private void mirror(WorkflowClient client, PrintWriter out) {
        GitMirrorWorkflow wf = client.newWorkflowStub(GitMirrorWorkflow.class, drill.options("drill-git-mirror"));
        GitMirrorReport r = wf.mirror(new BackupRequest(PLAN, "drill"));
        out.println("== Mirror before the faults: " + r.summary());
    }

    static void inject(String fault, Path primary, Path work) throws Exception {
        if (fault.equals("delete")) {
            FileUtils.delete(primary.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
            return;
        }
        // "Force-push destroyed history": main rewound to its first commit, the feature branch and tags kept; the
        // same rewind a scheduled drill injects.
        new BranchRewind(work, System::getenv).rewindToRoot(new GitRemote("origin", primary.toString(), null, null,
                null, null), "main");
    }

    private GitRecoveryReport recover(EmbeddedHost host, String fault, PrintWriter out) throws Exception {
        out.println("== Fault: " + (fault.equals("delete")
                ? "primary repository deleted"
                : "primary main force-pushed back to its first commit") + " ==");
        StepPrinter steps = new StepPrinter(out);
        boolean[] approved = {false};
        return drill.recover(host, GitRecoveryWorkflow.SCENARIO, PLAN,
                new GitRecoveryRequest(PLAN, "drill", List.of(), List.of()), GitRecoveryReport.class, r -> {
                    steps.onProgress(r);
                    if (!approved[0] && r.pendingApproval() != null) {
                        out.println("  approval requested: " + r.pendingApproval().question());
                        out.println("  " + host.temporal().client()
                                .newWorkflowStub(GitRecoveryWorkflow.class, r.workflowId())
                                .approve(new ApprovalDecision(approver, true, "drill")));
                        approved[0] = true;
                    }
                });
    }

    /** The primary's main as a local reader sees it; null when the repository or branch is gone. */
    static String mainOf(Path primary) {
        if (!Files.isDirectory(primary)) {
            return null;
        }
        try {
            Map<String, Ref> refs = Git.lsRemoteRepository().setRemote(primary.toUri().toString()).callAsMap();
            Ref main = refs.get("refs/heads/main");
            return main == null ? null : main.getObjectId().name();
        } catch (Exception e) {
            return null;
        }
    }
}
