package io.romadr.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.registry.EngineImages;
import io.romadr.activities.registry.RegistryClient;
import io.romadr.activities.registry.RegistryCredentials;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.plan.PlanRepository;
import io.romadr.scenario.security.SecurityIncidentReport;
import io.romadr.scenario.security.SecurityIncidentWorkflow;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowStub;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Everything the security-incident end-to-end tests run against, all real and one set per test class: a Temporal dev
 * server ({@link EmbeddedStack#onDevServer}, workers as processes of their own), a sandbox service on Docker running a
 * "compromised" image from the primary registry, a backup registry holding the known-good build of that repository,
 * OpenBao and moto holding the service's secrets (values with the run's canary), a local backup store, an OpenPGP
 * recipient made by gpg, and a plan with {@code backup.images}, {@code backup.secrets} and {@code security:}.
 */
final class IncidentFixture implements AutoCloseable {
    static final String VAULT_TOKEN_ENV = "SEC_E2E_BAO_TOKEN";
    static final String PASSPHRASE = "sec e2e " + UUID.randomUUID();
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(3);
    /** The plan's one rotation command. */
    static final String COMMAND = "registry-token";

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String plan;
    final String workflowId;
    final Path dir;
    final Path plans;
    final Path store;
    final EmbeddedStack stack;
    final DockerClient docker;
    final OpenBaoDevServer bao;
    final MotoServer moto;
    final RegistryServer primary;
    final RegistryServer backup;
    final GpgHome gpg;
    final SandboxService sandbox;
    final VaultKvClient vault;
    final SecretsManagerSecrets secretsManager;
    final SecretsManagerClient awsClient;
    final String repository;
    final String compromisedImage;
    final String compromisedImageId;
    final String knownGoodImageId;
    final String knownGoodDigest;
    final List<String> vaultPaths;
    final List<String> awsNames;
    /** Every value the secrets had before the incident, by store: none may be printed anywhere. */
    final Map<String, Map<String, String>> vaultBefore = new LinkedHashMap<>();
    final Map<String, Integer> vaultVersionBefore = new LinkedHashMap<>();
    final Map<String, String> awsBefore = new LinkedHashMap<>();
    final Map<String, String> awsVersionBefore = new LinkedHashMap<>();
    final Map<String, Set<String>> awsVersionsBefore = new LinkedHashMap<>();
    final Map<String, String> workerEnv;
    /** In front of OpenBao for the worker (the plan's Vault address), when the test asked for it; else null. */
    final VaultGate vaultGate;
    /** Where the rotation command appends the rotation id of each of its runs. */
    final Path commandRuns;

    /**
     * @param name      names the plan, the task queue and the work directory
     * @param gateVault the worker reaches OpenBao through a {@link VaultGate}
     */
    IncidentFixture(String name, boolean gateVault) throws Exception {
        plan = name + "-" + run;
        workflowId = "roma-dr-" + SecurityIncidentWorkflow.SCENARIO + "-" + plan;
        dir = Path.of("target", "security-incident", plan).toAbsolutePath();
        plans = Files.createDirectories(dir.resolve("plans"));
        store = Files.createDirectories(dir.resolve("store"));
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-" + plan, dir);
        try {
            bao = stack.closeLater(OpenBaoDevServer.start());
            moto = stack.closeLater(MotoServer.start());
            primary = stack.closeLater(RegistryServer.start());
            backup = stack.closeLater(RegistryServer.start());
            gpg = stack.closeLater(new GpgHome(PASSPHRASE));
            vaultGate = gateVault ? stack.closeLater(VaultGate.in(bao.address())) : null;

            // The known-good build in the backup registry; the running build is the attacker's, by the same tag.
            repository = "romasec-" + run;
            EngineImages engine = new EngineImages(docker);
            engine.push(SandboxImage.DEFAULT_IMAGE, backup.hostAndPort(), repository, "latest", () -> {
            });
            knownGoodImageId = docker.inspectImageCmd(SandboxImage.DEFAULT_IMAGE).exec().getId();
            knownGoodDigest = new RegistryClient(backup.url(), RegistryCredentials.NONE)
                    .manifestDigest(repository, "latest").orElseThrow();
            compromisedImage = primary.hostAndPort() + "/" + repository + ":latest";
            stack.closeLater(() -> removeImages(List.of(compromisedImage, backup.hostAndPort() + "/" + repository
                    + ":latest", backup.hostAndPort() + "/" + repository + "@" + knownGoodDigest)));
            Path context = Files.createDirectories(dir.resolve("compromised"));
            Files.writeString(context.resolve("Dockerfile"), "FROM " + SandboxImage.DEFAULT_IMAGE
                    + "\nLABEL io.romadr.test.compromised=" + run + "\n");
            compromisedImageId = docker.buildImageCmd(context.toFile()).withTags(Set.of(compromisedImage))
                    .withPull(false).start().awaitImageId();
            stack.closeLater(() -> removeImages(List.of(compromisedImageId)));
            engine.push(compromisedImage, primary.hostAndPort(), repository, "latest", () -> {
            });

            sandbox = SandboxService.create(docker, "romadr-" + plan, compromisedImage,
                    SandboxService.Options.defaults());
            stack.closeLater(sandbox::destroy);

            vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
            vaultPaths = List.of(plan + "/db", plan + "/api");
            for (String path : vaultPaths) {
                Map<String, String> values = Map.of("PASSWORD", "vault-old-" + run + "-" + path.hashCode(), "USER",
                        "app");
                vaultVersionBefore.put(path, vault.write(path, values));
                vaultBefore.put(path, values);
            }
            secretsManager = stack.closeLater(new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint()
                    .toString(), moto.credentials()));
            awsClient = stack.closeLater(SecretsManagerClient.builder().endpointOverride(moto.endpoint())
                    .region(Region.of(MotoServer.REGION)).credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(moto.environment().get("AWS_ACCESS_KEY_ID"),
                                    moto.environment().get("AWS_SECRET_ACCESS_KEY"))))
                    .build());
            awsNames = List.of(plan + "/stripe");
            for (String secret : awsNames) {
                String value = "{\"API_KEY\":\"aws-old-" + run + "\"}";
                secretsManager.write(AwsSecretValue.ofString(secret, value));
                awsBefore.put(secret, value);
                awsVersionBefore.put(secret, secretsManager.versions(secret).current());
                awsVersionsBefore.put(secret, allVersionIds(secret));
            }

            gpg.generateKey("Security <security@example.org>", "future-default", "default", "never");
            Files.createDirectories(plans.resolve("keys"));
            Files.writeString(plans.resolve("keys/security.asc"), gpg.exportPublic("security@example.org"));
            commandRuns = dir.resolve("registry-token-runs");
            // The plan's rotation command: appends the rotation id it was given, prints nothing.
            Files.writeString(plans.resolve(plan + ".yaml"), planYaml(List.of("{ name: " + COMMAND
                    + ", command: [sh, -c, \"echo $ROMA_DR_ROTATION_ID >> " + commandRuns + "\"], timeout: 30s }")));
            new PlanRepository(plans).load(plan); // a plan the tests got wrong fails here, not in the workflow

            Map<String, String> env = new LinkedHashMap<>(moto.environment());
            env.put(VAULT_TOKEN_ENV, bao.token());
            workerEnv = Map.copyOf(env);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    private String planYaml(List<String> rotateYaml) {
        StringBuilder y = new StringBuilder(sandbox.planYaml(plan, "15m", "60s", "250ms", "2s", "0s", "1s"));
        y.append("backup:\n");
        y.append("  store: { uri: \"").append(store.toUri()).append("\" }\n");
        y.append("  images:\n");
        y.append("    primary: { url: \"").append(primary.url()).append("\" }\n");
        y.append("    backup: { url: \"").append(backup.url()).append("\" }\n");
        y.append("    repositories: [").append(repository).append("]\n");
        y.append("  secrets:\n");
        y.append("    vault: { address: \"").append(vaultGate == null ? bao.address() : vaultGate.address())
                .append("\", paths: [")
                .append(String.join(", ", vaultPaths)).append("], tokenEnv: ").append(VAULT_TOKEN_ENV).append(" }\n");
        y.append("    secretsManager: { region: ").append(MotoServer.REGION).append(", endpoint: \"")
                .append(moto.endpoint()).append("\", names: [").append(String.join(", ", awsNames)).append("] }\n");
        y.append("    recipients: [keys/security.asc]\n");
        y.append("security:\n");
        y.append("  contain: stop\n");
        y.append("  containWithin: 10m\n");
        y.append("  rto: 30m\n");
        y.append("  approvalTimeout: 10m\n");
        y.append("  evidenceLogBytes: 65536\n");
        if (!rotateYaml.isEmpty()) {
            y.append("  rotate:\n");
            rotateYaml.forEach(item -> y.append("    - ").append(item).append('\n'));
        }
        return y.toString();
    }

    /** Every version id of the secret, deprecated ones too (DescribeSecret lists only labelled versions). */
    Set<String> allVersionIds(String secret) {
        Set<String> ids = new TreeSet<>();
        awsClient.listSecretVersionIds(r -> r.secretId(secret).includeDeprecated(true)).versions()
                .forEach(v -> ids.add(v.versionId()));
        return ids;
    }

    /** {@code roma-dr recover security-incident} for this plan, without waiting. */
    CliRun start(String commit) {
        CliRun started = stack.cli("recover", "security-incident", "--plan", plan, "--plans", plans.toString(),
                "--known-good-commit", commit, "--reason", "e2e: reverse shell in " + plan);
        assertEquals(0, started.exit(), started::toString);
        assertTrue(started.out().contains(workflowId), started::toString);
        return started;
    }

    SecurityIncidentWorkflow workflow() {
        return stack.client().newWorkflowStub(SecurityIncidentWorkflow.class, workflowId);
    }

    /** Waits until the workflow asks to approve {@code step}, then approves it through the CLI as {@code who}. */
    CliRun approve(String step, String who) {
        SecurityIncidentWorkflow wf = workflow();
        EmbeddedStack.eventually(Duration.ofSeconds(90), () -> {
            SecurityIncidentReport p = wf.progress();
            return p.pendingApproval() != null && step.equals(p.pendingApproval().step()) ? p : null;
        }, () -> "the workflow never asked to approve " + step + "; its steps: " + wf.progress().timeline());
        CliRun approved = stack.cli("approve", workflowId, "--as", who, "--reason", "e2e approves " + step);
        assertEquals(0, approved.exit(), approved::toString);
        return approved;
    }

    SecurityIncidentReport result() throws Exception {
        return WorkflowStub.fromTyped(workflow()).getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS,
                SecurityIncidentReport.class);
    }

    /** The incident's rotation id: its workflow id and run id. */
    String rotationId() {
        return workflowId + "-" + stack.client().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo().getExecution().getRunId();
    }

    /** The server's history of {@code id} as it sends it (GetWorkflowExecutionHistory, every page), as bytes. */
    byte[] rawHistory(String id) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        var service = stack.client().getWorkflowServiceStubs().blockingStub();
        com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse page = service.getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).setNextPageToken(token)
                            .build());
            all.writeBytes(page.toByteArray());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all.toByteArray();
    }

    /** Latin-1 keeps every byte one character, so an ASCII value is found wherever its bytes are. */
    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** The values the secrets hold now (to check none of them is printed either). */
    List<String> currentValues() throws Exception {
        List<String> values = new ArrayList<>();
        for (String path : vaultPaths) {
            values.addAll(vault.read(path).data().values());
        }
        for (String secret : awsNames) {
            values.add(secretsManager.read(secret).string());
        }
        return values;
    }

    private void removeImages(List<String> refs) {
        for (String ref : refs) {
            try {
                docker.removeImageCmd(ref).withForce(true).exec(); // untags; the sandbox image itself stays
            } catch (RuntimeException e) {
                // already gone
            }
        }
    }

    @Override
    public void close() throws Exception {
        stack.close();
    }
}
