package io.romadr.activities.aws;

import io.romadr.activities.ProcessTrees;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
public final class MotoServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    private static final String ACCESS_KEY_ID = "moto" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String SECRET_ACCESS_KEY = UUID.randomUUID().toString();
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;
    private final URI endpoint;
    private final S3Client s3;

    private MotoServer(Process process, Path log, URI endpoint) {
        this.process = process;
        this.log = log;
        this.endpoint = endpoint;
        this.s3 = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(credentials())
                .forcePathStyle(true)
                .build();
    }

    public static MotoServer start() throws IOException, InterruptedException {
        return start("moto_server");
    }

    static MotoServer start(String executable) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto-server", ".log");
        Process process;
        try {
            // Output goes to a file so a chatty server can never block on a full pipe.
            process = new ProcessBuilder(List.of(executable, "-H", "127.0.0.1", "-p", Integer.toString(port)))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable + " (" + e.getMessage()
                    + "); install it with: pip install 'moto[server]'", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        MotoServer server = new MotoServer(process, log, endpoint);
        try {
            server.awaitReady();
        } catch (RuntimeException | IOException | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue()
                        + " before answering (pip install 'moto[server]' if it is missing):\n" + output());
            }
            try {
                http.send(ping, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // not listening yet
            } catch (IOException e) {
                // connection reset while the server starts; try again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("moto_server did not answer on " + endpoint + " within "
                        + START_DEADLINE.toSeconds() + " s:\n" + output());
            }
            Thread.sleep(100);
        }
    }

    private String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
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

    /** Creates an empty bucket with a unique name. */
    public String freshBucket() {
        String bucket = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        s3.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    @Override
    public void close() throws InterruptedException {
        s3.close();
        ProcessTrees.stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a stray temp log is harmless
        }
    }
}
