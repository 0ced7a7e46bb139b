package io.romadr.activities.compute;

import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.waiters.Ec2Waiter;

/**
 * Launches, watches and terminates the EC2 server that replaces a lost site. Launching is idempotent per
 * {@link LaunchKey}: an instance already tagged with the key is returned as is, and RunInstances carries a
 * ClientToken derived from the key, so a retried or re-run step never starts a second server.
 * Errors name the operation, the instance or key and the AWS error code; user data never appears in them.
 */
public final class Ec2Compute implements AutoCloseable {
    private static final String NOT_FOUND = "InvalidInstanceID.NotFound";
    // States in which an instance still counts as "the" server for its key.
    private static final List<String> LIVE_STATES = List.of("pending", "running", "stopping", "stopped");
    // EC2's default waiter polls every 15 s; a shorter poll keeps recovery (and tests) quick.
    private static final Duration WAITER_POLL = Duration.ofSeconds(2);
    // The waiter runs in slices this long so the caller can heartbeat in between.
    private static final Duration WAITER_SLICE = Duration.ofSeconds(10);

    private final Ec2Client client;
    private final String region;

    /** {@code endpoint} null or blank for the real service (an emulator such as moto otherwise). */
    public Ec2Compute(String region, String endpoint, AwsCredentialsProvider credentials) {
        this.region = AwsClients.region(region);
        this.client = AwsClients.build(Ec2Client.builder(), this.region, endpoint, credentials);
    }

    /**
     * The instance for {@code key}: the live one already tagged with it, or a new one launched with a ClientToken
     * derived from it. Does not wait for it to run; see {@link #awaitRunning}. After {@link #terminate} the key is
     * spent: real EC2 answers a repeated ClientToken with the terminated instance, so launching again needs a new key
     * (another step name). Moto does not deduplicate on the token, which is why the tag lookup comes first.
     */
    public Instance provision(ProvisionSpec spec, LaunchKey key) throws IOException {
        Instance existing = findByKey(key);
        if (existing != null) {
            return existing;
        }
        Map<String, String> tags = new LinkedHashMap<>(spec.tags());
        tags.put(LaunchKey.PLAN_TAG, key.plan());
        tags.put(LaunchKey.WORKFLOW_TAG, key.workflowId());
        tags.put(LaunchKey.KEY_TAG, key.value());
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(spec.imageId())
                .instanceType(spec.instanceType())
                .minCount(1)
                .maxCount(1)
                .clientToken(key.clientToken())
                .tagSpecifications(TagSpecification.builder()
                        .resourceType(ResourceType.INSTANCE)
                        .tags(tags.entrySet().stream()
                                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                                .toList())
                        .build());
        if (spec.keyName() != null) {
            request.keyName(spec.keyName());
        }
        if (!spec.securityGroupIds().isEmpty()) {
            request.securityGroupIds(spec.securityGroupIds());
        }
        if (spec.subnetId() != null) {
            request.subnetId(spec.subnetId());
        }
        if (spec.userData() != null) {
            request.userData(Base64.getEncoder().encodeToString(spec.userData().getBytes(StandardCharsets.UTF_8)));
        }
        List<software.amazon.awssdk.services.ec2.model.Instance> launched;
        try {
            launched = client.runInstances(request.build()).instances();
        } catch (AwsServiceException e) {
            if (e.awsErrorDetails() != null && "IdempotentParameterMismatch".equals(e.awsErrorDetails().errorCode())) {
                throw new IOException("RunInstances for key \"" + key.value() + "\" in " + region + " was refused:"
                        + " an instance was already launched for this key with different parameters (" + spec
                        + " differs from the first launch)");
            }
            throw failure("RunInstances for key \"" + key.value() + "\"", e);
        } catch (SdkException e) {
            throw failure("RunInstances for key \"" + key.value() + "\"", e);
        }
        if (launched.size() != 1) {
            throw new IOException("RunInstances for key \"" + key.value() + "\" in " + region + " returned "
                    + launched.size() + " instances, expected 1");
        }
        return toInstance(launched.get(0));
    }

    /** The live (not terminated) instance tagged with {@code key}, or null; the oldest if there are several. */
    public Instance findByKey(LaunchKey key) throws IOException {
        List<software.amazon.awssdk.services.ec2.model.Instance> found = new ArrayList<>();
        try {
            client.describeInstancesPaginator(r -> r.filters(
                    Filter.builder().name("tag:" + LaunchKey.KEY_TAG).values(key.value()).build(),
                    Filter.builder().name("instance-state-name").values(LIVE_STATES).build()))
                    .reservations()
                    .forEach(reservation -> found.addAll(reservation.instances()));
        } catch (SdkException e) {
            throw failure("DescribeInstances for key \"" + key.value() + "\"", e);
        }
        return found.stream()
                .min(Comparator.comparing(software.amazon.awssdk.services.ec2.model.Instance::launchTime,
                        Comparator.nullsLast(Comparator.naturalOrder())))
                .map(Ec2Compute::toInstance)
                .orElse(null);
    }

    /** The instance {@code id} as EC2 reports it now. */
    public Instance describe(String id) throws IOException {
        List<software.amazon.awssdk.services.ec2.model.Instance> found;
        try {
            found = client.describeInstances(r -> r.instanceIds(id)).reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream())
                    .toList();
        } catch (AwsServiceException e) {
            if (isNotFound(e)) {
                throw notFound(id);
            }
            throw failure("DescribeInstances of instance " + id, e);
        } catch (SdkException e) {
            throw failure("DescribeInstances of instance " + id, e);
        }
        if (found.isEmpty()) {
            throw notFound(id);
        }
        return toInstance(found.get(0));
    }

    /**
     * Waits with the SDK's instance-running waiter until {@code id} runs, calling {@code heartbeat} between slices
     * of at most 10 s. Fails at once if the instance stops or terminates instead.
     */
    public Instance awaitRunning(String id, Duration timeout, Runnable heartbeat) throws IOException {
        Runnable beat = heartbeat == null ? () -> {
        } : heartbeat;
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            beat.run();
            if (deadline.passed()) {
                Instance last = describe(id);
                throw new IOException("instance " + id + " in " + region + " is still " + last.state()
                        + " after " + timeout.toSeconds() + " s; expected running");
            }
            Duration slice = deadline.next(WAITER_SLICE);
            try (Ec2Waiter waiter = Ec2Waiter.builder()
                    .client(client)
                    .overrideConfiguration(WaiterOverrideConfiguration.builder()
                            .waitTimeout(slice)
                            .maxAttempts(Integer.MAX_VALUE)
                            .backoffStrategy(FixedDelayBackoffStrategy.create(WAITER_POLL))
                            .build())
                    .build()) {
                var outcome = waiter.waitUntilInstanceRunning(r -> r.instanceIds(id)).matched();
                if (outcome.response().isPresent()) {
                    return describe(id);
                }
                // The waiter gave up on an exception it did not expect; describe() reports it clearly below.
            } catch (SdkException e) {
                // The slice ran out, or the waiter hit a failure state (stopped, terminated): describe and decide.
            }
            Instance now = describe(id);
            if (now.isRunning()) {
                return now;
            }
            if (now.isGone() || "stopping".equals(now.state()) || "stopped".equals(now.state())) {
                throw new IOException("instance " + id + " in " + region + " is " + now.state()
                        + " while waiting for it to run");
            }
        }
    }

    /**
     * Terminates {@code id}; compensation for {@link #provision}. True if this call asked EC2 to terminate it, false
     * if it was already terminated, shutting down or unknown (so a retried compensation is harmless).
     */
    public boolean terminate(String id) throws IOException {
        Instance current;
        try {
            current = describe(id);
        } catch (InstanceNotFoundException e) {
            return false;
        }
        if (current.isGone()) {
            return false;
        }
        try {
            client.terminateInstances(r -> r.instanceIds(id));
            return true;
        } catch (AwsServiceException e) {
            if (isNotFound(e)) {
                return false;
            }
            throw failure("TerminateInstances of instance " + id, e);
        } catch (SdkException e) {
            throw failure("TerminateInstances of instance " + id, e);
        }
    }

    private static boolean isNotFound(AwsServiceException e) {
        return e.awsErrorDetails() != null && NOT_FOUND.equals(e.awsErrorDetails().errorCode());
    }

    private InstanceNotFoundException notFound(String id) {
        return new InstanceNotFoundException("no EC2 instance " + id + " in " + region);
    }

    private static Instance toInstance(software.amazon.awssdk.services.ec2.model.Instance i) {
        Map<String, String> tags = new LinkedHashMap<>();
        i.tags().forEach(t -> tags.put(t.key(), t.value()));
        String state = i.state() == null ? null : i.state().nameAsString();
        return new Instance(i.instanceId(), state, i.privateIpAddress(), i.publicIpAddress(), tags);
    }

    /**
     * An error naming the operation and the AWS error code. The service's message and the cause are left out on
     * purpose: a validation message may quote the request, and RunInstances carries the user data.
     */
    private IOException failure(String op, SdkException e) {
        return new IOException(op + " in EC2 (" + region + ") failed: " + AwsClients.errorDetail(e));
    }

    @Override
    public void close() {
        client.close();
    }
}
