package io.romadr.worker.site;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.dns.LocalZoneFileDns;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.DockerDataRecoveryActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.git.JGitMirrorActivities;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.registry.RegistryImageActivities;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.site.ComputeProviders;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.site.ComputeSiteActivities;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.CliRun;
import io.romadr.worker.RomaWorker;
import java.io.UncheckedIOException;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A whole site on real systems, for Scenario 3: a running service (a busybox httpd that serves its state, a secret
 * and a file of its source), its state and artifacts on bind mounts, a secret in OpenBao encrypted to a gpg key the
 * worker holds, its source on a primary and a backup {@code git daemon}, its image on a primary and a backup registry,
 * and a local zone file whose record points at the old site. {@link #backUp} takes every backup through the CLI;
 * {@link #destroy} loses the site: the container, its data, the primary git remote and the primary registry.
 */
public final class SiteFixture implements AutoCloseable {
    static final String PASSPHRASE = "site e2e " + UUID.randomUUID();
    static final String OLD_ADDRESS = "10.0.0.1";
    public static final String RECORD = "roma.example.internal";
    /** Serves what the recovery must bring back: the state's cursor, the secret, a file of the source. */
    static final String SERVE = "mkdir -p /www; [ -f /app/.roma/cursor ] && cp /app/.roma/cursor /www/cursor; "
            + "[ -f /app/src/www/index.html ] && cp /app/src/www/index.html /www/index.html; "
            + "echo \"$API_TOKEN\" > /www/token; echo ok > /www/health; exec httpd -f -p 8080 -h /www";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    public final String plan;
    public final String project;
    final Path root;
    public final Path plans;
    final Path store;
    final Path zoneFile;
    public final Path sites;
    final Path privateKey;
    final DockerClient docker;
    final OpenBaoDevServer bao;
    final GpgHome gpg;
    final GitDaemon primaryGit;
    final GitDaemon backupGit;
    final RegistryServer primaryRegistry;
    final RegistryServer backupRegistry;
    final int port;
    final String image;
    final String secret;
    final String sourceMarker;
    /** Read by the worker from {@link #planSecretFile} for the template's and a build step's env (fromFile). */
    final String planSecret;
    final Path planSecretFile;
    private String oldContainer;

    public SiteFixture(Path root, DockerClient docker, String planPrefix) throws Exception {
        this.root = root;
        this.docker = docker;
        this.plan = planPrefix + "-" + run;
        this.project = "romadr-" + plan;
        SandboxImage.ensure(docker);
        plans = Files.createDirectories(root.resolve("plans"));
        store = Files.createDirectories(root.resolve("store"));
        sites = Files.createDirectories(root.resolve("sites"));
        zoneFile = root.resolve("zone.db");
        secret = "tok-" + run;
        sourceMarker = "roma source " + run;
        planSecret = "canary-plan-" + UUID.randomUUID();
        planSecretFile = root.resolve("plan-secret");
        Files.writeString(planSecretFile, planSecret + "\n");

        bao = OpenBaoDevServer.start();
        gpg = new GpgHome(PASSPHRASE);
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        Files.createDirectories(plans.resolve("keys"));
        Files.writeString(plans.resolve("keys/ops.asc"), gpg.exportPublic("ops@example.org"));
        privateKey = root.resolve("ops.key");
        Files.writeString(privateKey, gpg.exportSecret("ops@example.org"));
        new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10))
                .write("site-" + run + "/app", Map.of("API_TOKEN", secret));

        // Source: a primary and a backup remote, each on its own daemon, so the primary can go down alone.
        Path primaryRepos = Files.createDirectories(root.resolve("git-primary"));
        Path backupRepos = Files.createDirectories(root.resolve("git-backup"));
        GitCli.run(primaryRepos, "init", "-q", "--bare", "roma.git");
        GitCli.run(backupRepos, "init", "-q", "--bare", "roma.git");
        primaryGit = GitDaemon.start(primaryRepos);
        backupGit = GitDaemon.start(backupRepos);
        Path work = root.resolve("work");
        GitCli.run(root, "clone", "-q", gitUrl(primaryGit), work.toString());
        Files.createDirectories(work.resolve("www"));
        GitCli.commit(work, "www/index.html", sourceMarker + "\n", null);
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main");

        primaryRegistry = RegistryServer.start();
        backupRegistry = RegistryServer.start();
        image = primaryRegistry.hostAndPort() + "/site-app:latest";
        dockerCli("tag", SandboxImage.DEFAULT_IMAGE, image);
        dockerCli("push", image);

        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        new LocalZoneFileDns(zoneFile).upsert("example.internal", new DnsRecord(RECORD, "A", 60,
                List.of(OLD_ADDRESS)), "old site", () -> {
                });
    }

    static String gitUrl(GitDaemon daemon) {
        return "git://127.0.0.1:" + daemon.port() + "/roma.git";
    }

    /** The plan; {@code extra} is appended inside the {@code site:} section (e.g. approveCutover). */
    public String writePlan(String bootstrapCommand, String extraSite) throws IOException {
        String yaml = """
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
                        env: { PLAN_SECRET: { fromFile: "%s" }, MODE: e2e }
                  healthChecks:
                    - name: http
                      http: { url: "http://127.0.0.1:%d/health", expectStatus: 200, timeout: 2s }
                  smoke:
                    - name: state-restored
                      http: { url: "http://127.0.0.1:%d/cursor", expectStatus: 200, timeout: 2s }
                    - name: secret-present
                      exec: { service: app, command: [sh, -c, 'test -n "$API_TOKEN"'], timeout: 5s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 2s }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /app/.roma }
                  artifacts: { service: app, path: /app/out, include: ["*.json"] }
                  secrets:
                    vault: { address: "%s", paths: [site-%s/app], tokenEnv: E2E_BAO_TOKEN }
                    recipients: [keys/ops.asc]
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                  images:
                    primary: { url: "%s" }
                    backup: { url: "%s" }
                    repositories: [site-app]
                site:
                  provider: docker
                  docker: { image: "%s" }
                  appDir: /srv/roma/src
                  envFile: /srv/roma/.env
                  bootstrap:
                    - { name: install, command: [sh, -c, '%s'], timeout: 2m }
                  build:
                    - { name: build,
                        command: [sh, -c, 'test -f www/index.html && test ${#BUILD_SECRET} -eq %d
                                  && echo "using $BUILD_SECRET"'],
                        env: { BUILD_SECRET: { fromFile: "%s" } } }
                  dns: { provider: zone-file, zone: example.internal, name: %s, zoneFile: "%s" }
                  readyTimeout: 1m
                  watchWindow: 2s
                  watchInterval: 1s
                %s""".formatted(plan, project, image, SERVE, port, planSecretFile, port, port, store.toUri(),
                bao.address(), run, gitUrl(primaryGit), gitUrl(backupGit), primaryRegistry.url(),
                backupRegistry.url(), SandboxImage.DEFAULT_IMAGE, bootstrapCommand, planSecret.length(),
                planSecretFile, RECORD, zoneFile, extraSite);
        Files.writeString(plans.resolve(plan + ".yaml"), yaml);
        return yaml;
    }

    Map<String, String> workerEnv() {
        return Map.of("E2E_BAO_TOKEN", bao.token(), "ROMA_DR_SECRETS_PASSPHRASE", PASSPHRASE,
                "ROMA_DR_SECRETS_KEY_FILE", privateKey.toString());
    }

    /** The environment of a worker process wired as in production (its sites and caches under this fixture). */
    Map<String, String> workerProcessEnv() {
        Map<String, String> env = new java.util.HashMap<>(workerEnv());
        env.put("ROMA_DR_SITES", sites.toString());
        env.put("ROMA_DR_GIT_CACHE", root.resolve("git-cache").toString());
        return env;
    }

    /** The directory on this host that is {@code /srv} of the (one) new server. */
    Path serverDisk() {
        List<Container> all = servers();
        if (all.size() != 1) {
            fail("expected one server, found " + all.size());
        }
        return sites.resolve(all.get(0).getNames()[0].replaceFirst("^/", ""));
    }

    /** The worker's activities, wired as production wires them, with this fixture's environment and directories. */
    public RomaWorker.Activities activities() {
        return activities(spec -> {
            try {
                return ObjectStores.open(spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** As above, with the backup stores opened by {@code stores} (e.g. S3 on moto with its credentials). */
    public RomaWorker.Activities activities(Function<BackupStore, ObjectStore> stores) {
        Map<String, String> env = workerEnv();
        PlanRepository repository = new PlanRepository(plans);
        DockerServiceActivities service = new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner());
        SecretsBackupActivities secrets = new SecretsBackupActivities(plans, stores,
                s -> new SecretsManagerSecrets(s.region(), s.endpoint()), env::get);
        DockerDataRecoveryActivities data = new DockerDataRecoveryActivities(docker, stores, plans);
        ComputeProviders compute = (provider, site) -> new DockerHostCompute(docker, sites);
        return new RomaWorker.Activities(new PlanDirectoryActivities(repository), service,
                new DockerBackupActivities(docker, stores), secrets,
                new JGitMirrorActivities(root.resolve("git-cache"), env::get),
                new RegistryImageActivities(env::get), null, null, data,
                new ComputeSiteActivities(compute, new DnsProviders(AnonymousCredentialsProvider.create(),
                        Duration.ofMinutes(1), Duration.ofMillis(500)), docker, stores, secrets, service, data,
                        env::get, root.resolve("site-work")));
    }

    /** The old site: the service running with its state and artifacts on bind mounts. */
    public void startOldSite() throws IOException {
        startOldSite(0);
    }

    /** As above, with {@code bulkBytes} of incompressible data in the state, so restoring it takes a while. */
    void startOldSite(int bulkBytes) throws IOException {
        Path state = Files.createDirectories(root.resolve("old/state"));
        if (bulkBytes > 0) {
            byte[] bulk = new byte[bulkBytes];
            new java.util.Random(7).nextBytes(bulk);
            Files.write(state.resolve("bulk.bin"), bulk);
        }
        Path out = Files.createDirectories(root.resolve("old/out"));
        Files.writeString(state.resolve("cursor"), "42\n");
        Files.writeString(out.resolve("today.json"), "{\"events\": [1, 2, 3]}\n");
        Files.writeString(out.resolve("yesterday.json"), "{\"events\": []}\n");
        ExposedPort http = ExposedPort.tcp(8080);
        Ports ports = new Ports();
        ports.bind(http, Ports.Binding.bindIpAndPort("127.0.0.1", port));
        oldContainer = docker.createContainerCmd(image).withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app"))
                .withEnv("API_TOKEN=" + secret)
                .withCmd("sh", "-c", SERVE).withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withInit(true).withPortBindings(ports)
                        .withBinds(new Bind(state.toString(), new Volume("/app/.roma")),
                                new Bind(out.toString(), new Volume("/app/out"))))
                .exec().getId();
        docker.startContainerCmd(oldContainer).exec();
    }

    /** Every backup the recovery needs, through the CLI, as the schedules would take them. */
    public void backUp(String address, String taskQueue) {
        for (String kind : List.of("state", "artifacts", "secrets", "git", "images")) {
            CliRun backup = CliRun.of(address, taskQueue, "backup", kind, "--plan", plan, "--wait");
            if (backup.exit() != 0) {
                fail("backup " + kind + " failed: " + backup);
            }
        }
    }

    /** The site is lost: its container and data, the primary git remote, the primary registry, the local images. */
    public void destroy() throws Exception {
        docker.removeContainerCmd(oldContainer).withForce(true).exec();
        deleteTree(root.resolve("old"));
        primaryGit.close();
        primaryRegistry.close();
        for (String ref : List.of(image, backupRegistry.hostAndPort() + "/site-app:latest")) {
            try {
                docker.removeImageCmd(ref).withForce(true).exec();
            } catch (RuntimeException absent) {
                // not on the engine
            }
        }
    }

    public String get(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    /** Containers the docker provider made for this plan: servers (by plan label) and services (by project). */
    public List<Container> servers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.PLAN_LABEL, plan)).exec();
    }

    List<Container> services() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec();
    }

    List<String> zoneChanges() throws IOException {
        Path log = new LocalZoneFileDns(zoneFile).changeLog();
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public DnsRecord record() {
        return new LocalZoneFileDns(zoneFile).current("example.internal", RECORD, "A");
    }

    static void dockerCli(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("docker"), Stream.of(args)).toList();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(dir)) {
            all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() throws Exception {
        List<String> ids = new ArrayList<>();
        servers().forEach(c -> ids.add(c.getId()));
        services().forEach(c -> ids.add(c.getId()));
        for (String id : ids) {
            try {
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException gone) {
                // removed already
            }
        }
        for (AutoCloseable c : new AutoCloseable[]{bao, gpg, primaryRegistry, backupRegistry, primaryGit,
                backupGit}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception alreadyClosed) {
                    // stopped by destroy()
                }
            }
        }
    }
}
