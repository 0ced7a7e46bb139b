package io.romadr.activities.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.archive.UnsafeArchiveException;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.digest.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Ec2ComputeProvider against a real moto server. Moto's SSM executes nothing: every invocation is reported at once as
 * Success with exit 0 and empty output. So these tests check what can fail on our side: idempotent launch, the
 * command text and comment SSM receives, reuse of a command by its idempotency key, that file content never appears
 * in a command, that parameters and staged objects are removed, and the errors.
 */
@org.junit.jupiter.api.Tag("integration")
class Ec2ComputeProviderTest {
    static MotoServer moto;
    static Ec2Client ec2;
    static SsmClient ssm;
    static Ec2ComputeProvider compute;
    static String imageId;
    static Server shared;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        ec2 = Ec2Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION)).credentialsProvider(moto.credentials()).build();
        ssm = SsmClient.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION)).credentialsProvider(moto.credentials()).build();
        compute = provider(null);
        imageId = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
        shared = compute.provision(spec(), freshKey());
        compute.awaitReady(shared.id(), Duration.ofSeconds(30), null);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{compute, ssm, ec2, moto}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Ec2ComputeProvider provider(String bucket) {
        return new Ec2ComputeProvider(MotoServer.REGION, moto.endpoint().toString(), moto.credentials(), bucket)
                .pollEvery(Duration.ofMillis(50));
    }

    private static ServerSpec spec() {
        return new ServerSpec(imageId, "t3.micro", null, null, null, "#!/bin/sh\necho token=s3cr3t\n",
                Map.of("Name", "roma-dr-replacement"));
    }

    private static LaunchKey freshKey() {
        return new LaunchKey("plan-a", "site-loss-" + UUID.randomUUID(), "provision-server");
    }

    private static List<String> liveInstancesTagged(LaunchKey key) {
        return ec2.describeInstances(r -> r.filters(
                Filter.builder().name("tag:roma-dr:key").values(key.value()).build(),
                Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped", "shutting-down").build()))
                .reservations().stream().flatMap(res -> res.instances().stream())
                .map(software.amazon.awssdk.services.ec2.model.Instance::instanceId).toList();
    }

    /** The commands SSM holds for the instance, as moto lists them. */
    private static List<Command> commandsFor(String instanceId) {
        return ssm.listCommands(r -> r.instanceId(instanceId)).commands();
    }

    private static String scriptOf(String commandId) {
        Command c = ssm.listCommands(r -> r.commandId(commandId)).commands().get(0);
        assertEquals("AWS-RunShellScript", c.documentName());
        return c.parameters().get("commands").get(0);
    }

    @Test
    void provisioningThreeTimesWithOneKeyLaunchesOneInstance() throws Exception {
        LaunchKey key = freshKey();
        Server first = compute.provision(spec(), key);
        Server second = compute.provision(spec(), key);
        Server third = compute.provision(spec(), key);
        assertEquals(first.id(), second.id());
        assertEquals(first.id(), third.id());
        assertEquals(List.of(first.id()), liveInstancesTagged(key));
        assertEquals("aws", first.provider());
        assertEquals(first.id(), compute.findByKey(key).id());
        assertEquals(key.value(), compute.describe(first.id()).tags().get("roma-dr:key"));
        assertEquals("roma-dr-replacement", first.tags().get("Name"));

        Server other = compute.provision(spec(), new LaunchKey(key.plan(), key.workflowId(), "second-server"));
        assertNotEquals(first.id(), other.id());
        assertTrue(compute.terminate(first.id()));
        assertTrue(compute.terminate(other.id()));
    }

    @Test
    void awaitReadyWaitsForRunningAndAnSsmProbe() throws Exception {
        Server s = compute.provision(spec(), freshKey());
        AtomicInteger beats = new AtomicInteger();
        Server ready = compute.awaitReady(s.id(), Duration.ofSeconds(30), beats::incrementAndGet);
        assertEquals("running", ready.state());
        assertNotNull(ready.address(), "no private or public IP");
        var privateIp = ec2.describeInstances(r -> r.instanceIds(s.id())).reservations().get(0).instances().get(0)
                .privateIpAddress();
        assertEquals(privateIp, ready.address());
        assertTrue(beats.get() >= 1);
        assertTrue(commandsFor(s.id()).stream().anyMatch(c -> "roma-dr ready-probe".equals(c.comment())
                && "true".equals(c.parameters().get("commands").get(0))));
        compute.terminate(s.id());
    }

    @Test
    void runSendsOneQuotedShellLineAndReusesTheCommandOfAnIdempotencyKey() throws Exception {
        ServerCommand cmd = new ServerCommand(List.of("sh", "-c", "echo \"$GREETING\" > out; cat out"), "/srv/my app",
                Map.of("GREETING", "it's here"), Duration.ofMinutes(5), "step-7/bootstrap");
        AtomicInteger beats = new AtomicInteger();
        CommandResult first = compute.run(shared.id(), cmd, beats::incrementAndGet);
        CommandResult again = compute.run(shared.id(), cmd, null);
        // Moto reports every invocation as Success, exit 0, no output.
        assertEquals(0, first.exitCode());
        assertEquals("", first.stdoutTail());
        assertNotNull(first.commandId());
        assertEquals(first.commandId(), again.commandId(), "the same idempotency key sent a second command");
        assertTrue(beats.get() >= 1);

        Command sent = ssm.listCommands(r -> r.commandId(first.commandId())).commands().get(0);
        assertEquals("roma-dr " + Sha256.hex("step-7/bootstrap").substring(0, 32), sent.comment());
        // Moto adds every instance it knows to a command sent without targets (it filters instances by an empty
        // target list), so only "contains" can be asserted here.
        assertTrue(sent.instanceIds().contains(shared.id()), sent.instanceIds().toString());
        assertEquals(List.of("300"), sent.parameters().get("executionTimeout"));
        assertEquals(
                "cd '/srv/my app' && export GREETING='it'\\''s here' && 'sh' '-c' 'echo \"$GREETING\" > out; cat out'",
                scriptOf(first.commandId()));

        CommandResult otherKey = compute.run(shared.id(), new ServerCommand(cmd.command(), cmd.workdir(), cmd.env(),
                cmd.timeout(), "step-8/bootstrap"), null);
        assertNotEquals(first.commandId(), otherKey.commandId());
        CommandResult noKey1 = compute.run(shared.id(), new ServerCommand(List.of("true"), null, null, null, null),
                null);
        CommandResult noKey2 = compute.run(shared.id(), new ServerCommand(List.of("true"), null, null, null, null),
                null);
        assertNotEquals(noKey1.commandId(), noKey2.commandId());
        assertEquals("roma-dr", ssm.listCommands(r -> r.commandId(noKey1.commandId())).commands().get(0).comment());
    }

    @Test
    void theShellLineMeansWhatTheArgvSays() throws Exception {
        // moto runs nothing, so run the generated line with the local sh to check the quoting.
        List<String> argv = List.of("printf", "%s|", "it's", "a b", "$HOME", "`id`", "\"q\"", "");
        String line = SsmCommands.script(new ServerCommand(argv, "/", Map.of("X", "y'z $w"), null, null));
        Process p = new ProcessBuilder("sh", "-c", line + "; printf '%s' \"$X\"").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("it's|a b|$HOME|`id`|\"q\"||y'z $w", out);
        assertThrows(IllegalArgumentException.class, () -> SsmCommands.script(
                new ServerCommand(List.of("true"), null, Map.of("BAD;NAME", "v"), null, null)));
    }

    @Test
    void writeFileSendsNoContentAndDeletesTheParameter() throws Exception {
        byte[] secrets = "DB_PASSWORD=s3cr3t-value\n".getBytes(StandardCharsets.UTF_8);
        int before = commandsFor(shared.id()).size();
        compute.writeFile(shared.id(), "/srv/app/.env", secrets, 0600);

        String parameter = "/roma-dr/" + Sha256.hex(shared.id() + "/srv/app/.env").substring(0, 32);
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(parameter)));
        List<Command> sent = commandsFor(shared.id());
        assertEquals(before + 1, sent.size());
        String script = sent.stream().map(c -> c.parameters().get("commands").get(0))
                .filter(s -> s.contains(parameter)).findFirst().orElseThrow();
        assertFalse(script.contains("s3cr3t"), script);
        assertFalse(script.contains(Base64.getEncoder().encodeToString(secrets)), script);
        assertTrue(script.contains("aws ssm get-parameter --with-decryption --name '" + parameter + "'"), script);
        assertTrue(script.contains("chmod 600 '/srv/app/.env.roma-dr-tmp'") && script.contains("umask 077"), script);

        // Advanced tier (more than 4 KB of base64) still goes through Parameter Store.
        compute.writeFile(shared.id(), "/srv/app/big.env", new byte[5000], 0600);
        assertThrows(ParameterNotFoundException.class, () -> ssm.getParameter(r -> r.name(
                "/roma-dr/" + Sha256.hex(shared.id() + "/srv/app/big.env").substring(0, 32))));

        var e = assertThrows(IOException.class,
                () -> compute.writeFile(shared.id(), "/srv/app/huge", new byte[9000], 0644));
        assertTrue(e.getMessage().contains("site.aws.stagingBucket"), e.getMessage());
    }

    @Test
    void largeFilesAndArchivesGoThroughTheStagingBucketWhichIsEmptiedAfterwards() throws Exception {
        String bucket = moto.freshBucket();
        try (Ec2ComputeProvider staged = provider(bucket)) {
            staged.writeFile(shared.id(), "/srv/app/huge", new byte[9000], 0644);
            byte[] tar = DockerHostComputeTest.tar(t -> {
                DockerHostComputeTest.file(t, "src/main.txt", "main\n", 0644);
                DockerHostComputeTest.symlink(t, "src/current", "main.txt");
            });
            staged.copyIn(shared.id(), "/srv/tree", new ByteArrayInputStream(tar));
            assertEquals(0, moto.s3().listObjectsV2(r -> r.bucket(bucket)).keyCount(), "staged objects are left");
            String copy = commandsFor(shared.id()).stream().map(c -> c.parameters().get("commands").get(0))
                    .filter(s -> s.contains("tar -x")).findFirst().orElseThrow();
            assertTrue(copy.contains("mkdir -p '/srv/tree'") && copy.contains("s3://" + bucket + "/roma-dr/")
                    && copy.contains("-C '/srv/tree'"), copy);

            int before = commandsFor(shared.id()).size();
            byte[] hostile = DockerHostComputeTest.tar(t -> DockerHostComputeTest.file(t, "../escape", "x", 0644));
            assertThrows(UnsafeArchiveException.class,
                    () -> staged.copyIn(shared.id(), "/srv/tree", new ByteArrayInputStream(hostile)));
            assertEquals(before, commandsFor(shared.id()).size(), "a command was sent for a refused archive");
            assertEquals(0, moto.s3().listObjectsV2(r -> r.bucket(bucket)).keyCount());
        }
    }

    @Test
    void copyInWithoutAStagingBucketIsAClearError() {
        byte[] tar;
        try {
            tar = DockerHostComputeTest.tar(t -> DockerHostComputeTest.file(t, "a", "a", 0644));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        var e = assertThrows(IOException.class,
                () -> compute.copyIn(shared.id(), "/srv/tree", new ByteArrayInputStream(tar)));
        assertTrue(e.getMessage().contains("site.aws.stagingBucket is required"), e.getMessage());
    }

    @Test
    void readFileDecodesTheBase64OfACommand() throws Exception {
        // moto answers with empty output: the decoded file is empty; the command is what can be checked.
        assertArrayEquals(new byte[0], compute.readFile(shared.id(), "/srv/app/it's.conf", 1 << 20));
        String script = commandsFor(shared.id()).stream().map(c -> c.parameters().get("commands").get(0))
                .filter(s -> s.contains("it'\\''s.conf")).findFirst().orElseThrow();
        assertTrue(script.contains("base64 '/srv/app/it'\\''s.conf'"), script);
        assertTrue(script.contains("-le " + SsmFileTransfer.READ_LIMIT), script);
    }

    @Test
    void envValuesStayOutOfErrors() {
        try (Ec2ComputeProvider unreachable = new Ec2ComputeProvider(MotoServer.REGION, "http://127.0.0.1:1",
                moto.credentials(), null)) {
            var e = assertThrows(IOException.class, () -> unreachable.run("i-0123456789abcdef0", new ServerCommand(
                    List.of("true"), null, Map.of("TOKEN", "s3cr3t-value"), null, null), null));
            assertFalse(e.getMessage().contains("s3cr3t-value"), e.getMessage());
            assertTrue(e.getMessage().contains("i-0123456789abcdef0"), e.getMessage());
        }
    }

    @Test
    void terminateIsIdempotent() throws Exception {
        Server s = compute.provision(spec(), freshKey());
        assertTrue(compute.terminate(s.id()));
        Server after = compute.describe(s.id());
        assertTrue(after == null || "shutting-down".equals(after.state()) || "terminated".equals(after.state()),
                String.valueOf(after));
        assertFalse(compute.terminate(s.id()));
        assertEquals(null, compute.describe("i-0123456789abcdef0"));
        assertFalse(compute.terminate("i-0123456789abcdef0"));
        assertEquals("aws", compute.name());
    }
}
