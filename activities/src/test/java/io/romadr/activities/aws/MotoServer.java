package io.romadr.activities.aws;

import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A moto server (fake AWS) as a child process on a free local port, for tests. Missing {@code moto_server} is an
 * error, not a skip: the S3 and Secrets Manager code would otherwise go untested in CI without anyone noticing.
 */
public final class MotoServer extends LocalServerProcess {
    public static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "moto" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String SECRET_ACCESS_KEY = UUID.randomUUID().toString();
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    private final String executable;
    private final int port;
    private final URI endpoint;
    private final S3Client s3;

    private MotoServer(String executable, int port, Path log) {
        super(executable, log, START_DEADLINE);
        this.executable = executable;
        this.port = port;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.s3 = s3(REGION);
    }

    public static MotoServer start() throws IOException, InterruptedException {
        return start("moto_server");
    }

    static MotoServer start(String executable) throws IOException, InterruptedException {
        MotoServer server = new MotoServer(executable, freePort(), Files.createTempFile("moto-server", ".log"));
        server.launch();
        return server;
    }

    @Override
    protected List<String> command() {
        return List.of(executable, "-H", "127.0.0.1", "-p", Integer.toString(port));
    }

    @Override
    protected String cannotStart(IOException e) {
        return "cannot start " + executable + " (" + e.getMessage() + "); install it with: pip install 'moto[server]'";
    }

    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        return httpAnswers(endpoint.resolve("/moto-api/"), -1);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Moto accepts any credentials; made up per run, they keep the default chain (and real keys) out of tests. */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
    }

    /** The same credentials as environment variables, for a worker in its own process. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID, "AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY,
                "AWS_REGION", REGION);
    }

    /** A client for inspecting what the code under test left in the bucket. */
    public S3Client s3() {
        return s3;
    }

    /**
     * A new client of this server in {@code region} (e.g. to make or read a bucket of another region); the caller
     * closes it.
     */
    public S3Client s3(String region) {
        return S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .build();
    }

    /** Creates an empty bucket with a unique name. */
    public String freshBucket() {
        String bucket = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    @Override
    public void close() {
        s3.close();
        super.close();
        deleteTree(logFile());
    }
}
