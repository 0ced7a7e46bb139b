package io.romadr.drill;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.dns.LocalZoneFileDns;
import io.romadr.activities.drill.SiteFaults;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.GitMirrorReport;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.siteloss.PhaseRecord;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryReportFormatter;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.host.EmbeddedHost;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * The Scenario 3 drill on the embedded default (Java and Docker only: no registry, no Vault, no git binary): an "old
 * site" (a busybox sandbox serving its state and artifacts over httpd from bind-mounted directories), its source on a
 * local bare primary repository made with JGit, a local zone file pointing at it; state, artifacts and git backups
 * taken by the real workflows; then the whole site lost (container, data, primary repository) and rebuilt by the real
 * SiteRecoveryWorkflow on a new server (a container on the local engine), DNS moved to it, and every result checked
 * independently of the workflow ({@link SiteChecks}).
 */
@Command(name = "total-loss", mixinStandardHelpOptions = true,
        description = "Scenario 3 drill: lose a whole sandbox site (service, data, primary git repository) and rebuild "
                + "it on a new server from the backups, moving its DNS record.")
public final class TotalLossDrill implements Callable<Integer> {
    static final String ZONE = "drill.internal";
    static final String RECORD = "roma.drill.internal";
    static final String OLD_ADDRESS = "10.0.0.1";
    static final String CURSOR = "42";
    static final String ARTIFACT = "{\"events\": [1, 2, 3]}";
    private static final PersonIdent DEV = new PersonIdent("Roma Drill", "drill@roma-dr.invalid");
    /**
     * What the service runs, old site and new: serves its state's cursor, its artifacts and a file of its source (when
     * there) with busybox httpd. Only shell built-ins and the sandbox's applets.
     */
    static final String SERVE = "mkdir -p /www; [ -f /app/.roma/cursor ] && cat /app/.roma/cursor > /www/cursor; "
            + "for f in /app/out/*.json; do [ -f \"$f\" ] && cat \"$f\" > /www/${f##*/}; done; "
            + "[ -f /app/src/www/index.html ] && cat /app/src/www/index.html > /www/index.html; "
            + "echo ok > /www/health; exec httpd -f -p 8080 -h /www";

    @Mixin
    EmbeddedDrill drill;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = drill.out();
        DockerClient docker = DrillEnvironment.docker("drill");
        String image = SandboxImage.ensure(docker);

        String run = UUID.randomUUID().toString().substring(0, 8);
        String plan = "drill-site-" + run;
        String project = "romadr-" + plan;
        String sourceMarker = "roma drill source " + run;
        Path work = Files.createTempDirectory("roma-dr-site-drill-");
        Path oldState = Files.createDirectories(work.resolve("old/state"));
        Path oldOut = Files.createDirectories(work.resolve("old/out"));
        Path store = Files.createDirectories(work.resolve("store"));
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        Path primary = work.resolve("repos/primary.git");
        Path backup = work.resolve("repos/backup.git");
        Path zoneFile = work.resolve("zone.db");
        int httpPort = freePort();
        DockerHostCompute compute = new DockerHostCompute(docker, RomaWorker.sitesRoot());
        SiteRecoveryReport report = null;
        SiteChecks.Checks checks = null;
        try {
            Files.writeString(oldState.resolve("cursor"), CURSOR + "\n");
            Files.writeString(oldOut.resolve("today.json"), ARTIFACT + "\n");
            Files.writeString(oldOut.resolve("yesterday.json"), "{\"events\": []}\n");
            String head = makeSource(primary, backup, work.resolve("dev"), sourceMarker);
            new LocalZoneFileDns(zoneFile).upsert(ZONE, new DnsRecord(RECORD, "A", 60, List.of(OLD_ADDRESS)),
                    "old site", () -> {
                    });
            String yaml = planYaml(plan, project, image, httpPort, store, primary, backup, zoneFile);
            Files.writeString(plansDir.resolve(plan + ".yaml"), yaml);
            RecoveryPlan recoveryPlan = new PlanLoader().parse(plan + ".yaml", yaml);
            // Only the zone file is read: no AWS credentials are needed.
            SiteFaults site = new SiteFaults(docker, null, (provider, spec) -> compute, new DnsProviders(
                    AnonymousCredentialsProvider.create(), Duration.ofMinutes(1), Duration.ofMillis(500)));
            startOldSite(docker, image, project, httpPort, oldState, oldOut);
            out.println("Old site: container " + project + "-app-1 (image " + image + ") serving http://127.0.0.1:"
                    + httpPort + " (/cursor = " + oldSiteCursor(httpPort) + "); state " + oldState + ", artifacts "
                    + oldOut);
            out.println("Source: primary " + primary + " (main at " + head.substring(0, 10) + ", www/index.html), "
                    + "backup remote " + backup);
            out.println("DNS: " + RECORD + " A " + OLD_ADDRESS + " in " + zoneFile);
            out.println("Plan " + plan + " (compose project " + project + "): no backup.secrets section (no Vault in "
                    + "the embedded drill), so the recovery's secrets step is SKIPPED; no backup.images section, so "
                    + "the new server uses the local image " + image + " as it is");
            try (EmbeddedHost host = drill.startHost(work, plansDir)) {
                WorkflowClient client = host.temporal().client();
                backUp(client, plan, out);
                DrillState before = documentSite(site, recoveryPlan, out);
                out.println();
                destroy(docker, project, work.resolve("old"), primary, out);
                out.println();
                report = recover(host, plan, out);
                checks = SiteChecks.check(site, recoveryPlan, before, httpPort, sourceMarker, primary, out);
            }
        } finally {
            List<Container> servers = SiteChecks.servers(docker, plan);
            List<Path> disks = new ArrayList<>();
            for (Container c : servers) {
                disks.add(compute.hostPath(c.getId(), DockerHostCompute.SERVER_ROOT));
            }
            if (!drill.keep()) {
                // The provider's own terminate removes each server with its service containers and its disk; then
                // whatever still carries the project (the old site, when the disaster was not reached).
                int containers = servers.size() + projectContainers(docker, project).size();
                for (Container c : servers) {
                    compute.terminate(c.getId());
                }
                for (Container c : projectContainers(docker, project)) {
                    docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                }
                DrillEnvironment.deleteTree(work);
                Path mirror = gitMirrorCache(plan);
                DrillEnvironment.deleteTree(mirror);
                out.println("Cleaned up: " + containers + " container(s) of the drill removed, server disk(s) "
                        + disks + ", work directory " + work + " and git mirror cache " + mirror + " deleted");
            } else {
                drill.kept("the new server and its service (containers labelled " + DockerHostCompute.PLAN_LABEL
                        + "=" + plan + " / " + DockerServiceActivities.LABEL_PROJECT + "=" + project
                        + "), server disk(s) " + disks + ", work directory " + work + ", git mirror cache "
                        + gitMirrorCache(plan), plansDir.resolve(plan + ".yaml"));
            }
        }

        out.println();
        long phasesWithin = report.phases().stream().filter(p -> p.endedAt() != null && !p.overBudget()).count();
        boolean ok = report.recoveredWithinRto() && phasesWithin == report.phases().size() && checks.allHold();
        return drill.summary(List.of(StepPrinter.summary("total-loss", report, phasesWithin + " of "
                + report.phases().size() + " phases within budget; "
                + (checks.allHold() ? "independent checks hold" : "INDEPENDENT CHECKS FAILED: " + checks.failed()))),
                ok);
    }

    // ---- the old site --------------------------------------------------------------------------------------------

    /** A bare primary with one commit ({@code www/index.html}) and an empty bare backup, with JGit. Returns main. */
    static String makeSource(Path primary, Path backup, Path dev, String marker) throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(primary.toFile()).call().close();
        Git.init().setBare(true).setInitialBranch("main").setDirectory(backup.toFile()).call().close();
        try (Git git = Git.init().setInitialBranch("main").setDirectory(dev.toFile()).call()) {
            Files.createDirectories(dev.resolve("www"));
            Files.writeString(dev.resolve("www/index.html"), marker + "\n", StandardCharsets.UTF_8);
            git.add().addFilepattern(".").call();
            git.commit().setMessage("site").setAuthor(DEV).setCommitter(DEV).call();
            git.push().setRemote(primary.toUri().toString())
                    .setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
            return git.getRepository().resolve("refs/heads/main").name();
        }
    }

    static String planYaml(String plan, String project, String image, int httpPort, Path store, Path primary,
            Path backup, Path zoneFile) {
        return """
                # Scenario 3 drill plan: a busybox sandbox site, local backups and repositories, a local zone file.
                name: %s
                service:
                  composeProject: %s
                  containers:
                    - service: app
                      template:
                        image: "%s"
                        command: [sh, -c, '%s']
                        ports: ["127.0.0.1:%d:8080"]
                        mounts: ["/srv/roma/state:/app/.roma", "/srv/roma/out:/app/out", "/srv/roma/src:/app/src:ro"]
                  healthChecks:
                    - name: http
                      http: { url: "http://127.0.0.1:%d/health", expectStatus: 200, timeout: 2s }
                  smoke:
                    - name: state-restored
                      http: { url: "http://127.0.0.1:%d/cursor", expectStatus: 200, timeout: 2s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 2s }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /app/.roma }
                  artifacts: { service: app, path: /app/out, include: ["*.json"] }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                site:
                  provider: docker
                  docker: { image: "%s" }
                  appDir: /srv/roma/src
                  bootstrap:
                    - { name: install, command: [sh, -c, 'mkdir -p /srv/roma/tools && echo installed > /srv/roma/tools/marker'], timeout: 2m }
                  build:
                    - { name: build, command: [sh, -c, "test -f www/index.html"] }
                  dns: { provider: zone-file, zone: %s, name: %s, zoneFile: "%s" }
                  readyTimeout: 1m
                  watchWindow: 3s
                  watchInterval: 1s
                """
                .formatted(plan, project, image, SERVE, httpPort, httpPort, httpPort, store.toUri(), primary, backup,
                        image, ZONE, RECORD, zoneFile);
    }

    /** The old site's service: labelled as compose service {@code app}, its state and artifacts bind-mounted. */
    private static void startOldSite(DockerClient docker, String image, String project, int httpPort, Path state,
            Path artifacts) {
        ExposedPort http = ExposedPort.tcp(8080);
        Ports ports = new Ports();
        ports.bind(http, Ports.Binding.bindIpAndPort("127.0.0.1", httpPort));
        String id = docker.createContainerCmd(image)
                .withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app"))
                .withCmd("sh", "-c", SERVE)
                .withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withInit(true).withPortBindings(ports)
                        .withBinds(new Bind(state.toString(), new Volume("/app/.roma")),
                                new Bind(artifacts.toString(), new Volume("/app/out"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
    }

    /** The old site's cursor over HTTP, waiting up to 10 s for its httpd to listen. */
    private static String oldSiteCursor(int httpPort) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return SiteChecks.get(httpPort, "/cursor");
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the old site does not answer on 127.0.0.1:" + httpPort, notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    // ---- backups and the disaster --------------------------------------------------------------------------------

    private void backUp(WorkflowClient client, String plan, PrintWriter out) {
        BackupRequest request = new BackupRequest(plan, "drill");
        BackupReport state = client.newWorkflowStub(StateSnapshotWorkflow.class, drill.options("drill-site-state"))
                .snapshot(request);
        out.println("== Backup: " + state.summary());
        BackupReport artifacts = client.newWorkflowStub(ArtifactBackupWorkflow.class,
                drill.options("drill-site-artifacts")).backup(request);
        out.println("== Backup: " + artifacts.summary());
        GitMirrorReport git = client.newWorkflowStub(GitMirrorWorkflow.class, drill.options("drill-site-git"))
                .mirror(request);
        out.println("== Backup: " + git.summary());
    }

    /** The site before the loss, as the site-loss drill documents it: what {@link SiteChecks} compares after. */
    private static DrillState documentSite(SiteFaults site, RecoveryPlan plan, PrintWriter out) {
        List<String> lines = new ArrayList<>();
        Map<String, String> fingerprints = new LinkedHashMap<>();
        site.document(plan, lines, fingerprints);
        lines.forEach(l -> out.println("== Before the loss: " + l));
        return new DrillState(lines, Map.of(), fingerprints);
    }

    /** Total loss: the service container and its data, and the primary git repository. */
    private static void destroy(DockerClient docker, String project, Path oldData, Path primary, PrintWriter out)
            throws IOException {
        List<String> removed = new ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
            removed.add(c.getNames()[0].replaceFirst("^/", ""));
        }
        FileUtils.delete(oldData.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
        FileUtils.delete(primary.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
        out.println("== Disaster: container(s) " + removed + " removed, its data " + oldData + " deleted, primary "
                + "repository " + primary + " deleted ==");
    }

    // ---- the recovery --------------------------------------------------------------------------------------------

    private SiteRecoveryReport recover(EmbeddedHost host, String plan, PrintWriter out) throws Exception {
        return drill.recover(host, SiteRecoveryWorkflow.SCENARIO, plan,
                new SiteRecoveryRequest(plan, "docker", "drill", "total loss drill", false), SiteRecoveryReport.class,
                new PhasePrinter(out));
    }

    /** The steps as they finish, each phase when it is done, in the order of events. */
    private static final class PhasePrinter extends StepPrinter {
        private final PrintWriter out;
        private final Set<String> phases = new HashSet<>();

        PhasePrinter(PrintWriter out) {
            super(out);
            this.out = out;
        }

        @Override
        public void onProgress(ScenarioReport progress) {
            super.onProgress(progress);
            printPhases((SiteRecoveryReport) progress, Long.MAX_VALUE);
        }

        /** A phase that ended before this step began is printed first, so the lines keep the order of events. */
        @Override
        void beforeStep(ScenarioReport progress, StepRecord next) {
            printPhases((SiteRecoveryReport) progress, next.startedAt());
        }

        private void printPhases(SiteRecoveryReport r, long endedBy) {
            for (PhaseRecord p : r.phases()) {
                String line = SiteRecoveryReportFormatter.phaseLine(p);
                if (line != null && p.endedAt() <= endedBy && phases.add(p.name())) {
                    out.println("  " + line);
                }
            }
        }
    }

    // ---- cleanup -------------------------------------------------------------------------------------------------

    /** Containers labelled with the drill's compose project: the old site's and the new server's services. */
    private static List<Container> projectContainers(DockerClient docker, String project) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec();
    }

    /**
     * The worker's mirror of this drill plan's primary repository: {@code <git cache>/<plan>.git}. Only a cache;
     * each drill run has a plan of its own, so its mirror would otherwise be left behind.
     */
    static Path gitMirrorCache(String plan) {
        return RomaWorker.gitCache().resolve(plan + ".git");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
