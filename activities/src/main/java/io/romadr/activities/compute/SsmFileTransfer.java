package io.romadr.activities.compute;

import static io.romadr.activities.compute.SsmCommands.quote;

import io.romadr.activities.archive.TarSanitizer;
import io.romadr.activities.aws.AwsClients;
import io.romadr.activities.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Files to and from an EC2 instance without their content in any command (SSM keeps command text in its history):
 * small files through a SecureString in SSM Parameter Store, archives and large files through an S3 staging bucket,
 * fetched and installed by an {@link SsmCommands} shell line; reads come back as base64 in a command's output.
 */
final class SsmFileTransfer {
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

    private final SsmClient ssm;
    private final S3Client s3;
    private final SsmCommands commands;
    private final String region;
    private final String stagingBucket;

    /** {@code stagingBucket} null when there is none (then {@link #copyIn} and large {@link #writeFile}s fail). */
    SsmFileTransfer(SsmClient ssm, S3Client s3, SsmCommands commands, String region, String stagingBucket) {
        this.ssm = ssm;
        this.s3 = s3;
        this.commands = commands;
        this.region = region;
        this.stagingBucket = stagingBucket;
    }

    /**
     * Writes the file without putting its content into any command: the content goes (base64) into a SecureString
     * parameter {@code /roma-dr/<hash of instance and path>} (standard tier up to 4 KB of base64, advanced up to
     * 8 KB), a command on the instance fetches and decodes it into a temporary file (umask 077), sets the mode and
     * moves it into place, then the parameter is deleted. Larger files go through the staging bucket, or fail with a
     * clear error when there is none.
     */
    void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
        requireAbsolute(path);
        String encoded = Base64.getEncoder().encodeToString(content);
        String digest = Sha256.hex(content);
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
        String parameter = PARAMETER_PREFIX + Sha256.hex(serverId + path).substring(0, 32);
        ParameterTier tier = encoded.length() > STANDARD_PARAMETER_LIMIT
                ? ParameterTier.ADVANCED
                : ParameterTier.STANDARD;
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
        CommandResult r = commands.runScript(serverId, script);
        if (!r.ok()) {
            throw new IOException("writing " + path + " on instance " + serverId + " failed (exit " + r.exitCode()
                    + ", SSM command " + r.commandId() + "): " + OutputTail.tail(r.stderrTail().strip(), 512));
        }
    }

    private void deleteParameter(String parameter) throws IOException {
        try {
            ssm.deleteParameter(r -> r.name(parameter));
        } catch (AwsServiceException e) {
            if (!AwsClients.isCode(e, "ParameterNotFound")) {
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
        return Sha256.hex(serverId + "\n" + destination + "\n" + contentSha256);
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
    void copyIn(String serverId, String directory, InputStream tar) throws IOException {
        requireAbsolute(directory);
        if (stagingBucket == null) {
            throw new IOException("site.aws.stagingBucket is required to copy files into instance " + serverId
                    + " (an archive is staged in S3 and fetched by the instance)");
        }
        Path clean = new TarSanitizer().sanitizeToFile(tar);
        try {
            String digest = Sha256.hex(clean);
            String key = STAGING_PREFIX + stagingName(serverId, directory, digest) + ".tar";
            String script = "f=$(mktemp) && mkdir -p " + quote(directory) + " && aws s3 cp "
                    + quote("s3://" + stagingBucket + "/" + key) + " \"$f\" --region " + quote(region)
                    + " --only-show-errors && tar -x -f \"$f\" -C " + quote(directory)
                    + "; rc=$?; rm -f \"$f\"; exit $rc";
            staged(serverId, key, RequestBody.fromFile(clean), () -> {
                CommandResult r = commands.runScript(serverId, script); // extracting again is harmless
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
    byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
        requireAbsolute(path);
        int limit = Math.min(maxBytes, READ_LIMIT);
        String script = "test -f " + quote(path) + " || { echo 'no such file' >&2; exit " + EXIT_NO_SUCH_FILE + "; }; "
                + "s=$(wc -c < " + quote(path) + ") && [ \"$s\" -le " + limit + " ] || { echo \"$s bytes\" >&2; exit "
                + EXIT_TOO_LARGE + "; }; base64 " + quote(path);
        CommandResult r = commands.runScript(serverId, script);
        if (r.exitCode() == EXIT_NO_SUCH_FILE) {
            throw new NoSuchFileException(path, null, "not found on instance " + serverId);
        }
        if (r.exitCode() == EXIT_TOO_LARGE) {
            throw new IOException(path + " on instance " + serverId + " has " + r.stderrTail().strip()
                    + ", more than the " + limit + " allowed" + (limit < maxBytes
                            ? " (SSM returns at most " + SSM_OUTPUT_LIMIT + " characters of output)"
                            : ""));
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

    static void requireAbsolute(String path) {
        if (path == null || !path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("not an absolute server path: " + path);
        }
    }

    /** An error naming the operation and the AWS error code; the service message could quote the request. */
    private IOException failure(String op, SdkException e) {
        return new IOException(op + " in " + region + " failed: " + AwsClients.errorDetail(e));
    }
}
