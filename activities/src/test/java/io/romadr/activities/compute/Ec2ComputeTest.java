package io.romadr.activities.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.activities.aws.MotoServer;
import java.time.Duration;
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

/** Ec2Compute against a real moto server; a separate EC2 client checks what it left behind. */
@org.junit.jupiter.api.Tag("integration")
class Ec2ComputeTest {
    static MotoServer moto;
    static Ec2Client ec2;
    static Ec2Compute compute;
    static String imageId;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        ec2 = Ec2Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(moto.endpoint())
                .region(Region.of(MotoServer.REGION))
                .credentialsProvider(moto.credentials())
                .build();
        compute = new Ec2Compute(MotoServer.REGION, moto.endpoint().toString(), moto.credentials());
        // Moto ships a set of default AMIs and accepts any of them.
        imageId = ec2.describeImages(r -> r.owners("amazon")).images().get(0).imageId();
    }

    @AfterAll
    static void stop() throws Exception {
        if (compute != null) {
            compute.close();
        }
        if (ec2 != null) {
            ec2.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static ProvisionSpec spec() {
        return new ProvisionSpec(imageId, "t3.micro", null, List.of(), null, "#!/bin/sh\necho token=s3cr3t\n",
                Map.of("Name", "roma-dr-replacement"));
    }

    private static LaunchKey freshKey() {
        return new LaunchKey("plan-a", "site-loss-" + UUID.randomUUID(), "provision-server");
    }

    /** Instances EC2 has for the key tag, in any state but terminated. */
    private static List<String> liveInstancesTagged(LaunchKey key) {
        return ec2.describeInstances(r -> r.filters(
                Filter.builder().name("tag:roma-dr:key").values(key.value()).build(),
                Filter.builder().name("instance-state-name")
                        .values("pending", "running", "stopping", "stopped", "shutting-down").build()))
                .reservations().stream()
                .flatMap(res -> res.instances().stream())
                .map(software.amazon.awssdk.services.ec2.model.Instance::instanceId)
                .toList();
    }

    @Test
    void provisioningThreeTimesWithOneKeyLaunchesOneTaggedInstance() throws Exception {
        LaunchKey key = freshKey();
        Instance first = compute.provision(spec(), key);
        Instance second = compute.provision(spec(), key);
        Instance third = compute.provision(spec(), key);

        assertEquals(first.id(), second.id());
        assertEquals(first.id(), third.id());
        assertEquals(List.of(first.id()), liveInstancesTagged(key));

        var seen = ec2.describeInstances(r -> r.instanceIds(first.id())).reservations().get(0).instances().get(0);
        Map<String, String> tags = compute.describe(first.id()).tags();
        assertEquals("plan-a", tags.get("roma-dr:plan"));
        assertEquals(key.workflowId(), tags.get("roma-dr:workflow"));
        assertEquals(key.value(), tags.get("roma-dr:key"));
        assertEquals("roma-dr-replacement", tags.get("Name"));
        assertEquals(imageId, seen.imageId());
        assertEquals("t3.micro", seen.instanceTypeAsString());
    }

    @Test
    void runInstancesCarriesTheClientToken() throws Exception {
        LaunchKey key = freshKey();
        Instance launched = compute.provision(spec(), key);
        // Moto records the token but does not deduplicate on it; the tag lookup covers that (tested above).
        var seen = ec2.describeInstances(r -> r.instanceIds(launched.id())).reservations().get(0).instances().get(0);
        assertEquals(key.clientToken(), seen.clientToken());
    }

    @Test
    void aDifferentKeyLaunchesASecondInstance() throws Exception {
        LaunchKey one = freshKey();
        LaunchKey other = new LaunchKey(one.plan(), one.workflowId(), "provision-second-server");
        Instance a = compute.provision(spec(), one);
        Instance b = compute.provision(spec(), other);

        assertNotEquals(a.id(), b.id());
        assertEquals(List.of(a.id()), liveInstancesTagged(one));
        assertEquals(List.of(b.id()), liveInstancesTagged(other));
    }

    @Test
    void awaitRunningReturnsTheRunningInstanceAndHeartbeats() throws Exception {
        Instance launched = compute.provision(spec(), freshKey());
        AtomicInteger beats = new AtomicInteger();
        Instance running = compute.awaitRunning(launched.id(), Duration.ofSeconds(20), beats::incrementAndGet);

        assertEquals(launched.id(), running.id());
        assertEquals("running", running.state());
        assertTrue(running.isRunning());
        assertTrue(beats.get() >= 1, "no heartbeat while waiting");
        assertEquals("running", ec2.describeInstances(r -> r.instanceIds(launched.id()))
                .reservations().get(0).instances().get(0).state().nameAsString());
    }

    @Test
    void terminateIsIdempotentAndAwaitRunningRefusesATerminatedInstance() throws Exception {
        LaunchKey key = freshKey();
        Instance launched = compute.provision(spec(), key);
        compute.awaitRunning(launched.id(), Duration.ofSeconds(20), null);

        assertTrue(compute.terminate(launched.id()), "first terminate should act");
        assertFalse(compute.terminate(launched.id()), "second terminate should be a no-op");
        assertEquals("terminated", awaitState(launched.id(), "terminated", Duration.ofSeconds(15)));
        assertEquals(List.of(), liveInstancesTagged(key));

        var e = assertThrows(java.io.IOException.class,
                () -> compute.awaitRunning(launched.id(), Duration.ofSeconds(10), null));
        assertTrue(e.getMessage().contains(launched.id()) && e.getMessage().contains("terminated"), e.getMessage());
    }

    @Test
    void unknownInstancesAreNotFoundAndTerminatingThemIsANoOp() throws Exception {
        String unknown = "i-0123456789abcdef0";
        var e = assertThrows(InstanceNotFoundException.class, () -> compute.describe(unknown));
        assertTrue(e.getMessage().contains(unknown), e.getMessage());
        assertFalse(compute.terminate(unknown));
    }

    @Test
    void userDataStaysOutOfErrorsAndDescriptions() throws Exception {
        ProvisionSpec bad = new ProvisionSpec(imageId, "t3.micro", null, List.of(), "subnet-00000000",
                "#!/bin/sh\necho token=s3cr3t\n", Map.of());
        assertFalse(bad.toString().contains("s3cr3t"), bad.toString());
        // The tag lookup finds nothing, RunInstances is refused for the unknown subnet: the error names the key.
        LaunchKey key = freshKey();
        var e = assertThrows(java.io.IOException.class, () -> compute.provision(bad, key));
        assertTrue(e.getMessage().contains("RunInstances") && e.getMessage().contains(key.value())
                && e.getMessage().contains("InvalidSubnetID"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void theClientTokenIsAStableHashWithinTheEc2Limit() {
        LaunchKey key = new LaunchKey("p", "wf-1", "step");
        assertEquals(key.clientToken(), new LaunchKey("p", "wf-1", "step").clientToken());
        assertNotEquals(key.clientToken(), new LaunchKey("p", "wf-1", "other").clientToken());
        assertTrue(key.clientToken().length() <= 64);
        assertThrows(IllegalArgumentException.class, () -> new ProvisionSpec(imageId, "t3.micro", null, null, null,
                null, Map.of("roma-dr:key", "x")));
    }

    /** Polls until {@code id} is in {@code state}; returns the last state seen. */
    private static String awaitState(String id, String state, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen;
        while (!(seen = compute.describe(id).state()).equals(state)) {
            if (System.nanoTime() > deadline) {
                fail("instance " + id + " is " + seen + ", not " + state + ", after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
        return seen;
    }
}
