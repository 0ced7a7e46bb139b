package io.romadr.activities.compute;

import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The replacement server as an EC2 instance ({@code site.provider: aws}): launched, watched and terminated through
 * {@link Ec2Compute}, commanded through AWS Systems Manager Run Command ({@link SsmCommands}), with files staged through SSM Parameter
 * Store (small files, e.g. the secrets env file) or an S3 staging bucket (archives, large files; {@link SsmFileTransfer}).
 * The instance needs the SSM agent and an instance profile allowing SSM, {@code ssm:GetParameter} on
 * {@code /roma-dr/*} (with {@code kms:Decrypt}) and {@code s3:GetObject} on the staging bucket, and the AWS CLI.
 *
 * <p><b>Secrets:</b> SSM keeps the text of every command (including {@code export K=...} lines made from a command's
 * env) in its command history, readable by anyone with {@code ssm:ListCommands}. Secrets must therefore never be
 * passed as a command's env or argv; write them with {@link #writeFile}, which sends only a parameter name.
 * Errors name the operation, the instance and the AWS error code, never command text, env values or file content.
 *
 * <p><b>Output:</b> GetCommandInvocation returns at most 24,000 characters of each stream, and SSM keeps the
 * <em>start</em> of a longer output; the 4 KiB "tails" of a {@link CommandResult} are the end of what SSM returned,
 * which for a very chatty command is not the end of what it printed.
 */
public final class Ec2ComputeProvider implements ComputeProvider {
    private final Ec2Compute ec2;
    private final SsmClient ssm;
    private final S3Client s3;
    private final SsmCommands commands;
    private final SsmFileTransfer files;
    private final String region;

    /**
     * {@code endpoint} null or blank for real AWS (an emulator such as moto otherwise, used for EC2, SSM and S3);
     * {@code stagingBucket} null when there is none (then {@link #copyIn} and large {@link #writeFile}s fail).
     */
    public Ec2ComputeProvider(String region, String endpoint, AwsCredentialsProvider credentials,
            String stagingBucket) {
        this.region = AwsClients.region(region);
        this.ec2 = new Ec2Compute(this.region, endpoint, credentials);
        this.ssm = AwsClients.build(SsmClient.builder(), this.region, endpoint, credentials);
        this.s3 = AwsClients.build(S3Client.builder().forcePathStyle(endpoint != null && !endpoint.isBlank()),
                this.region, endpoint, credentials);
        this.commands = new SsmCommands(ssm, this.region);
        this.files = new SsmFileTransfer(ssm, s3, commands, this.region,
                stagingBucket == null || stagingBucket.isBlank() ? null : stagingBucket);
    }

    /** How often command status is polled (tests shorten it). */
    Ec2ComputeProvider pollEvery(Duration interval) {
        commands.pollEvery(interval);
        return this;
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public Server provision(ServerSpec spec, LaunchKey key) throws IOException {
        if (spec.instanceType() == null || spec.instanceType().isBlank()) {
            throw new IllegalArgumentException("site.provider aws needs an instance type (for key \"" + key.value()
                    + "\")");
        }
        ProvisionSpec p = new ProvisionSpec(spec.image(), spec.instanceType(), spec.keyName(),
                spec.securityGroupIds(), spec.subnetId(), spec.userData(), spec.tags());
        return toServer(ec2.provision(p, key));
    }

    @Override
    public Server findByKey(LaunchKey key) throws IOException {
        Instance i = ec2.findByKey(key);
        return i == null ? null : toServer(i);
    }

    @Override
    public Server describe(String serverId) throws IOException {
        try {
            return toServer(ec2.describe(serverId));
        } catch (InstanceNotFoundException e) {
            return null;
        }
    }

    /**
     * Waits until the instance runs, then until SSM takes a command: a probe {@code true} is sent (refused with
     * InvalidInstanceId while the agent has not registered yet) and awaited.
     */
    @Override
    public Server awaitReady(String serverId, Duration timeout, Runnable heartbeat) throws IOException {
        Runnable beat = heartbeat == null ? () -> {
        } : heartbeat;
        Deadline deadline = Deadline.after(timeout);
        ec2.awaitRunning(serverId, timeout, beat);
        String last = "the SSM agent has not registered";
        while (true) {
            beat.run();
            if (deadline.passed()) {
                throw new IOException("instance " + serverId + " in " + region + " runs but does not take SSM"
                        + " commands after " + timeout.toSeconds() + " s (" + last + ")");
            }
            CommandResult probe = commands.probe(serverId, deadline.left(), beat);
            if (probe != null && probe.ok()) {
                return describe(serverId);
            }
            if (probe != null) {
                last = "the probe command ended with " + probe.exitCode() + ": "
                        + OutputTail.tail(probe.stderrTail(), 256);
            }
            Deadline.pause(commands.poll());
        }
    }

    /**
     * Runs the command through {@link SsmCommands#run}: with an idempotency key it is never sent twice while an
     * earlier one runs or after it succeeded. Env values end up in SSM's command history: never pass secrets as env
     * (see the class comment).
     */
    @Override
    public CommandResult run(String serverId, ServerCommand command, Runnable heartbeat) throws IOException {
        return commands.run(serverId, command, heartbeat == null ? () -> {
        } : heartbeat);
    }

    /** See {@link SsmFileTransfer#writeFile}: the content never appears in a command. */
    @Override
    public void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
        files.writeFile(serverId, path, content, mode);
    }

    /** See {@link SsmFileTransfer#copyIn}: the tar is validated, staged in S3 and extracted on the instance. */
    @Override
    public void copyIn(String serverId, String directory, InputStream tar) throws IOException {
        files.copyIn(serverId, directory, tar);
    }

    /** See {@link SsmFileTransfer#readFile}: at most {@value SsmFileTransfer#READ_LIMIT} bytes. */
    @Override
    public byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
        return files.readFile(serverId, path, maxBytes);
    }

    @Override
    public boolean terminate(String serverId) throws IOException {
        return ec2.terminate(serverId);
    }

    private static Server toServer(Instance i) {
        return new Server(i.id(), "aws", i.state(), i.privateIp() != null ? i.privateIp() : i.publicIp(), i.tags());
    }

    @Override
    public void close() {
        try {
            ec2.close();
        } finally {
            try {
                ssm.close();
            } finally {
                s3.close();
            }
        }
    }
}
