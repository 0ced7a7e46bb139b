package io.romadr.activities.compute;

import io.romadr.activities.archive.TarSanitizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.services.ssm.model.Command;
import software.amazon.awssdk.services.ssm.model.GetCommandInvocationResponse;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The replacement server as an EC2 instance ({@code site.provider: aws}): launched, watched and terminated through
 * {@link Ec2Compute}, commanded through AWS Systems Manager Run Command ({@code AWS-RunShellScript}), with files staged
 * through SSM Parameter Store (small files, e.g. the secrets env file) or an S3 staging bucket (archives, large files).
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
    static final String DOCUMENT = "AWS-RunShellScript";
    static final String COMMENT_PREFIX = "roma-dr";
    static final String PARAMETER_PREFIX = "/roma-dr/";
    static final String STAGING_PREFIX = "roma-dr/";
    /** Parameter Store value limits (the base64 text counts): standard tier 4 KB, advanced tier 8 KB. */
    static final int STANDARD_PARAMETER_LIMIT = 4096;
    static final int ADVANCED_PARAMETER_LIMIT = 8192;
    /** GetCommandInvocation returns at most 24,000 characters of output: readFile's base64 must fit. */
    static final int SSM_OUTPUT_LIMIT = 24_000;
    /** The largest file {@link #readFile} can return: 24,000 characters of base64 in 76-character lines. */
    static final int READ_LIMIT = 17_000;
    private static final int EXIT_NO_SUCH_FILE = 44;
    private static final int EXIT_TOO_LARGE = 45;
    private static final Set<String> RUNNING = Set.of("Pending", "InProgress", "Delayed", "Cancelling");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Beyond the command's own timeout (SSM's executionTimeout), how long to wait for SSM to report. */
    private static final Duration REPORT_GRACE = Duration.ofMinutes(2);
    private static final Duration HELPER_TIMEOUT = Duration.ofMinutes(10);

    private final Ec2Compute ec2;
    private final SsmClient ssm;
    private final S3Client s3;
    private final String region;
    private final String stagingBucket;
    private Duration poll = Duration.ofSeconds(2);

    /**
     * {@code endpoint} null or blank for real AWS (an emulator such as moto otherwise, used for EC2, SSM and S3);
     * {@code stagingBucket} null when there is none (then {@link #copyIn} and large {@link #writeFile}s fail).
     */
    public Ec2ComputeProvider(String region, String endpoint, AwsCredentialsProvider credentials, String stagingBucket) {
        this.region = region == null || region.isBlank() ? "us-east-1" : region;
        this.ec2 = new Ec2Compute(this.region, endpoint, credentials);
        this.stagingBucket = stagingBucket == null || stagingBucket.isBlank() ? null : stagingBucket;
        SsmClientBuilder sb = SsmClient.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(credentials)
                .region(Region.of(this.region));
        S3ClientBuilder s3b = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .credentialsProvider(credentials)
                .region(Region.of(this.region));
        if (endpoint != null && !endpoint.isBlank()) {
            sb.endpointOverride(URI.create(endpoint));
            s3b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        this.ssm = sb.build();
        this.s3 = s3b.build();
    }

    /** How often command status is polled (tests shorten it). */
    Ec2ComputeProvider pollEvery(Duration interval) {
        this.poll = interval;
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
        Runnable beat = heartbeat == null ? () -> { } : heartbeat;
        long deadline = System.nanoTime() + timeout.toNanos();
        ec2.awaitRunning(serverId, timeout, beat);
        String last = "the SSM agent has not registered";
        while (true) {
            beat.run();
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.isNegative() || left.isZero()) {
                throw new IOException("instance " + serverId + " in " + region + " runs but does not take SSM"
                        + " commands after " + timeout.toSeconds() + " s (" + last + ")");
            }
            String commandId;
            try {
                commandId = send(serverId, "true", COMMENT_PREFIX + " ready-probe", Duration.ofSeconds(60));
            } catch (AwsServiceException e) {
                if (isCode(e, "InvalidInstanceId")) {
                    sleep(poll);
                    continue;
                }
                throw failure("SendCommand (ready probe) to instance " + serverId, e);
            } catch (SdkException e) {
                throw failure("SendCommand (ready probe) to instance " + serverId, e);
            }
            CommandResult probe = await(serverId, commandId, left, beat);
            if (probe.ok()) {
                return describe(serverId);
            }
            last = "the probe command ended with " + probe.exitCode() + ": " + OutputTail.tail(probe.stderrTail(), 256);
            sleep(poll);
        }
    }

    /**
     * Sends the command as one shell line ({@code cd <workdir> && export K='v' && 'argv0' 'argv1' ...}, every word
     * single-quoted) and waits for it. With an idempotency key, the command's comment is {@code roma-dr <first 32
     * hex of SHA-256(key)>}, and a command with that comment already sent to the instance is awaited instead of sending
     * a new one while it runs or when it succeeded (a worker that died waiting for it does not run it twice); one that
     * failed, timed out or was cancelled is sent again. Env values end up in SSM's command history:
     * never pass secrets as env (see the class comment).
     */
    @Override
    public CommandResult run(String serverId, ServerCommand command, Runnable heartbeat) throws IOException {
        Runnable beat = heartbeat == null ? () -> { } : heartbeat;
        String script = script(command);
        String comment = comment(command.idempotencyKey());
        String commandId = null;
        if (command.idempotencyKey() != null) {
            commandId = findSent(serverId, comment);
        }
        if (commandId == null) {
            try {
                commandId = send(serverId, script, comment, command.timeout());
            } catch (SdkException e) {
                throw failure("SendCommand " + commandDescription(command) + " to instance " + serverId, e);
            }
        }
        return await(serverId, commandId, command.timeout().plus(REPORT_GRACE), beat);
    }

    /**
     * One of the provider's own shell lines (already quoted), sent as is without an idempotency key: writing,
     * extracting and reading are safe to repeat, so a retry simply sends the line again.
     */
    private CommandResult runScript(String serverId, String script) throws IOException {
        String commandId;
        try {
            commandId = send(serverId, script, COMMENT_PREFIX, HELPER_TIMEOUT);
        } catch (SdkException e) {
            throw failure("SendCommand to instance " + serverId, e);
        }
        return await(serverId, commandId, HELPER_TIMEOUT.plus(REPORT_GRACE), () -> { });
    }

    static String comment(String idempotencyKey) {
        return idempotencyKey == null ? COMMENT_PREFIX : COMMENT_PREFIX + " " + sha256Hex(idempotencyKey).substring(0, 32);
    }

    private static String commandDescription(ServerCommand command) {
        return "(" + command.command().get(0) + (command.idempotencyKey() == null ? ""
                : ", key \"" + command.idempotencyKey() + "\"") + ")";
    }

    /** The one shell line for {@code command}; env names are checked, values single-quoted. */
    static String script(ServerCommand command) {
        StringBuilder sb = new StringBuilder();
        if (command.workdir() != null && !command.workdir().isBlank()) {
            sb.append("cd ").append(quote(command.workdir())).append(" && ");
        }
        if (!command.env().isEmpty()) {
            sb.append("export");
            for (Map.Entry<String, String> e : command.env().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("not a valid environment variable name: " + e.getKey());
                }
                sb.append(' ').append(e.getKey()).append('=').append(quote(e.getValue() == null ? "" : e.getValue()));
            }
            sb.append(" && ");
        }
        for (int i = 0; i < command.command().size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(quote(command.command().get(i)));
        }
        return sb.toString();
    }

    /** POSIX shell single quoting: {@code it's} becomes {@code 'it'\''s'}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The newest command already sent to the instance with {@code comment}, or null. */
    private String findSent(String serverId, String comment) throws IOException {
        List<Command> found = new ArrayList<>();
        try {
            ssm.listCommandsPaginator(r -> r.instanceId(serverId)).commands().forEach(c -> {
                if (comment.equals(c.comment()) && DOCUMENT.equals(c.documentName())
                        && c.instanceIds().contains(serverId)) {
                    found.add(c);
                }
            });
        } catch (SdkException e) {
            throw failure("ListCommands for instance " + serverId, e);
        }
        return reusable(found);
    }

    /**
     * Of the commands already sent with a key, the one to wait for: the newest, while it runs or when it succeeded (a
     * worker died waiting for it); null when there is none or the newest failed, timed out or was cancelled, so a
     * retried step really runs the command again.
     */
    static String reusable(List<Command> sent) {
        return sent.stream()
                .max(Comparator.comparing(Command::requestedDateTime, Comparator.nullsFirst(Comparator.naturalOrder())))
                .filter(c -> !ENDED_BADLY.contains(c.status()))
                .map(Command::commandId)
                .orElse(null);
    }

    private static final java.util.Set<software.amazon.awssdk.services.ssm.model.CommandStatus> ENDED_BADLY =
            java.util.EnumSet.of(software.amazon.awssdk.services.ssm.model.CommandStatus.FAILED,
                    software.amazon.awssdk.services.ssm.model.CommandStatus.CANCELLED,
                    software.amazon.awssdk.services.ssm.model.CommandStatus.CANCELLING,
                    software.amazon.awssdk.services.ssm.model.CommandStatus.TIMED_OUT);

    private String send(String serverId, String script, String comment, Duration timeout) {
        long seconds = Math.max(1, Math.min(172_800, timeout.toSeconds())); // AWS-RunShellScript's limits
        return ssm.sendCommand(r -> r.instanceIds(serverId)
                        .documentName(DOCUMENT)
                        .comment(comment)
                        .parameters(Map.of("commands", List.of(script),
                                "executionTimeout", List.of(Long.toString(seconds)))))
                .command()
                .commandId();
    }

    /** Polls the invocation until it ends or {@code timeout} passes (then it is cancelled and -1 returned). */
    private CommandResult await(String serverId, String commandId, Duration timeout, Runnable beat)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Instant started = Instant.now();
        while (true) {
            beat.run();
            GetCommandInvocationResponse inv = null;
            try {
                inv = ssm.getCommandInvocation(r -> r.commandId(commandId).instanceId(serverId));
            } catch (AwsServiceException e) {
                if (!isCode(e, "InvocationDoesNotExist")) { // right after SendCommand: not there yet
                    throw failure("GetCommandInvocation of command " + commandId + " on instance " + serverId, e);
                }
            } catch (SdkException e) {
                throw failure("GetCommandInvocation of command " + commandId + " on instance " + serverId, e);
            }
            if (inv != null && inv.statusAsString() != null && !RUNNING.contains(inv.statusAsString())) {
                return toResult(commandId, inv);
            }
            if (System.nanoTime() > deadline) {
                try {
                    ssm.cancelCommand(r -> r.commandId(commandId).instanceIds(serverId));
                } catch (SdkException e) {
                    // best effort: it may have just finished
                }
                String stdout = inv == null ? "" : nullToEmpty(inv.standardOutputContent());
                String stderr = inv == null ? "" : nullToEmpty(inv.standardErrorContent());
                return new CommandResult(-1, OutputTail.tail(stdout, OutputTail.DEFAULT_LIMIT),
                        OutputTail.tail(stderr + (stderr.isEmpty() ? "" : "\n") + "timed out after "
                                + Duration.between(started, Instant.now()).toSeconds() + " s waiting for SSM command "
                                + commandId + " (cancelled)", OutputTail.DEFAULT_LIMIT),
                        commandId);
            }
            sleep(poll);
        }
    }

    private static CommandResult toResult(String commandId, GetCommandInvocationResponse inv) {
        String status = inv.statusAsString();
        int code = inv.responseCode() == null || inv.responseCode() < 0 ? -1 : inv.responseCode();
        if (!"Success".equals(status) && code == 0) {
            code = -1; // Cancelled, TimedOut, Failed before the script ran: not a success
        }
        String stderr = nullToEmpty(inv.standardErrorContent());
        if (!"Success".equals(status) && !"Failed".equals(status)) {
            stderr = stderr + (stderr.isEmpty() ? "" : "\n") + "SSM status " + status
                    + (inv.statusDetails() == null ? "" : " (" + inv.statusDetails() + ")")
                    + ("TimedOut".equals(status) || "ExecutionTimedOut".equals(inv.statusDetails())
                    ? ": timed out after the command's timeout" : "");
        }
        return new CommandResult(code, OutputTail.tail(nullToEmpty(inv.standardOutputContent()), OutputTail.DEFAULT_LIMIT),
                OutputTail.tail(stderr, OutputTail.DEFAULT_LIMIT), commandId);
    }

    /**
     * Writes the file without putting its content into any command: the content goes (base64) into a SecureString
     * parameter {@code /roma-dr/<hash of instance and path>} (standard tier up to 4 KB of base64, advanced up to
     * 8 KB), a command on the instance fetches and decodes it into a temporary file (umask 077), sets the mode and
     * moves it into place, then the parameter is deleted. Larger files go through the staging bucket, or fail with a
     * clear error when there is none.
     */
    @Override
    public void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
        requireAbsolute(path);
        String encoded = Base64.getEncoder().encodeToString(content);
        String digest = sha256Hex(content);
        String octal = Integer.toOctalString(mode & 07777);
        String tmp = path + ".roma-dr-tmp";
        if (encoded.length() > ADVANCED_PARAMETER_LIMIT) {
            if (stagingBucket == null) {
                throw new IOException("writing " + path + " on instance " + serverId + ": " + content.length
                        + " bytes is more than SSM Parameter Store takes (" + ADVANCED_PARAMETER_LIMIT
                        + " characters of base64); set site.aws.stagingBucket to stage larger files through S3");
            }
            String key = STAGING_PREFIX + stagingName(serverId, path, digest) + ".file";
            String fetch = "aws s3 cp " + quote("s3://" + stagingBucket + "/" + key) + " " + quote(tmp)
                    + " --region " + quote(region) + " --only-show-errors";
            staged(serverId, key, RequestBody.fromBytes(content), () -> install(serverId, path, tmp, fetch, octal));
            return;
        }
        String parameter = PARAMETER_PREFIX + sha256Hex(serverId + path).substring(0, 32);
        ParameterTier tier = encoded.length() > STANDARD_PARAMETER_LIMIT ? ParameterTier.ADVANCED : ParameterTier.STANDARD;
        try {
            ssm.putParameter(r -> r.name(parameter).type(ParameterType.SECURE_STRING).value(encoded)
                    .overwrite(true).tier(tier).description("roma-dr: file in transit to " + serverId));
        } catch (SdkException e) {
            throw failure("PutParameter " + parameter + " (for " + path + " on instance " + serverId + ")", e);
        }
        try {
            String fetch = "v=$(aws ssm get-parameter --with-decryption --name " + quote(parameter) + " --region "
                    + quote(region) + " --query Parameter.Value --output text) && printf '%s' \"$v\" | base64 -d > "
                    + quote(tmp);
            install(serverId, path, tmp, fetch, octal);
        } finally {
            deleteParameter(parameter);
        }
    }

    private void install(String serverId, String path, String tmp, String fetch, String octal) throws IOException {
        String parent = Path.of(path).getParent() == null ? "/" : Path.of(path).getParent().toString();
        String script = "umask 077 && mkdir -p " + quote(parent) + " && " + fetch + " && chmod " + octal + " "
                + quote(tmp) + " && mv -f " + quote(tmp) + " " + quote(path) + " || { rm -f " + quote(tmp)
                + "; exit 1; }";
        CommandResult r = runScript(serverId, script);
        if (!r.ok()) {
            throw new IOException("writing " + path + " on instance " + serverId + " failed (exit " + r.exitCode()
                    + ", SSM command " + r.commandId() + "): " + OutputTail.tail(r.stderrTail().strip(), 512));
        }
    }

    private void deleteParameter(String parameter) throws IOException {
        try {
            ssm.deleteParameter(r -> r.name(parameter));
        } catch (AwsServiceException e) {
            if (!isCode(e, "ParameterNotFound")) {
                throw failure("DeleteParameter " + parameter, e);
            }
        } catch (SdkException e) {
            throw failure("DeleteParameter " + parameter, e);
        }
    }

    /**
     * The staging object's name: a hash of the instance, the destination and the content, so two copies running at
     * once (other instance, other destination) never share, and delete, each other's object.
     */
    static String stagingName(String serverId, String destination, String contentSha256) {
        return sha256Hex(serverId + "\n" + destination + "\n" + contentSha256);
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Puts the staging object, runs {@code step}, deletes the object again (also when the step fails). */
    private void staged(String serverId, String key, RequestBody body, Step step) throws IOException {
        try {
            s3.putObject(r -> r.bucket(stagingBucket).key(key), body);
        } catch (SdkException e) {
            throw failure("PutObject s3://" + stagingBucket + "/" + key + " (for instance " + serverId + ")", e);
        }
        try {
            step.run();
        } finally {
            try {
                s3.deleteObject(r -> r.bucket(stagingBucket).key(key));
            } catch (SdkException e) {
                throw failure("DeleteObject s3://" + stagingBucket + "/" + key, e);
            }
        }
    }

    /**
     * Validates the untrusted tar ({@link TarSanitizer}: refused before anything is uploaded), stages it as
     * {@code roma-dr/<sha256>.tar} in the staging bucket, has the instance download and extract it into
     * {@code directory}, and deletes the object.
     */
    @Override
    public void copyIn(String serverId, String directory, InputStream tar) throws IOException {
        requireAbsolute(directory);
        if (stagingBucket == null) {
            throw new IOException("site.aws.stagingBucket is required to copy files into instance " + serverId
                    + " (an archive is staged in S3 and fetched by the instance)");
        }
        Path clean = new TarSanitizer().sanitizeToFile(tar);
        try {
            String digest = sha256Hex(clean);
            String key = STAGING_PREFIX + stagingName(serverId, directory, digest) + ".tar";
            String script = "f=$(mktemp) && mkdir -p " + quote(directory) + " && aws s3 cp "
                    + quote("s3://" + stagingBucket + "/" + key) + " \"$f\" --region " + quote(region)
                    + " --only-show-errors && tar -x -f \"$f\" -C " + quote(directory) + "; rc=$?; rm -f \"$f\"; exit $rc";
            staged(serverId, key, RequestBody.fromFile(clean), () -> {
                CommandResult r = runScript(serverId, script); // extracting again is harmless
                if (!r.ok()) {
                    throw new IOException("extracting an archive into " + directory + " on instance " + serverId
                            + " failed (exit " + r.exitCode() + ", SSM command " + r.commandId() + "): "
                            + OutputTail.tail(r.stderrTail().strip(), 512));
                }
            });
        } finally {
            Files.deleteIfExists(clean);
        }
    }

    /**
     * Reads the file as base64 from a command's output. SSM returns at most 24,000 characters of output, so at most
     * {@value #READ_LIMIT} bytes can be read this way; a larger {@code maxBytes} is capped to that.
     */
    @Override
    public byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
        requireAbsolute(path);
        int limit = Math.min(maxBytes, READ_LIMIT);
        String script = "test -f " + quote(path) + " || { echo 'no such file' >&2; exit " + EXIT_NO_SUCH_FILE + "; }; "
                + "s=$(wc -c < " + quote(path) + ") && [ \"$s\" -le " + limit + " ] || { echo \"$s bytes\" >&2; exit "
                + EXIT_TOO_LARGE + "; }; base64 " + quote(path);
        CommandResult r = runScript(serverId, script);
        if (r.exitCode() == EXIT_NO_SUCH_FILE) {
            throw new NoSuchFileException(path, null, "not found on instance " + serverId);
        }
        if (r.exitCode() == EXIT_TOO_LARGE) {
            throw new IOException(path + " on instance " + serverId + " has " + r.stderrTail().strip()
                    + ", more than the " + limit + " allowed" + (limit < maxBytes
                    ? " (SSM returns at most " + SSM_OUTPUT_LIMIT + " characters of output)" : ""));
        }
        if (!r.ok()) {
            throw new IOException("reading " + path + " on instance " + serverId + " failed (exit " + r.exitCode()
                    + ", SSM command " + r.commandId() + "): " + OutputTail.tail(r.stderrTail().strip(), 512));
        }
        try {
            return Base64.getMimeDecoder().decode(r.stdoutTail().strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("reading " + path + " on instance " + serverId + ": the output is not base64");
        }
    }

    @Override
    public boolean terminate(String serverId) throws IOException {
        return ec2.terminate(serverId);
    }

    private static Server toServer(Instance i) {
        return new Server(i.id(), "aws", i.state(), i.privateIp() != null ? i.privateIp() : i.publicIp(), i.tags());
    }

    private static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not an absolute server path: " + path);
        }
    }

    private static boolean isCode(AwsServiceException e, String code) {
        return e.awsErrorDetails() != null && code.equals(e.awsErrorDetails().errorCode());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    static String sha256Hex(String s) {
        return sha256Hex(s.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] b) {
        return HexFormat.of().formatHex(sha256().digest(b));
    }

    private static String sha256Hex(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** An error naming the operation and the AWS error code; the service message could quote the request. */
    private IOException failure(String op, SdkException e) {
        String detail;
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            detail = s.awsErrorDetails().errorCode() + " (HTTP " + s.statusCode() + ", request id " + s.requestId() + ")";
        } else {
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new IOException(op + " in " + region + " failed: " + detail);
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
