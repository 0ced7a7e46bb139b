package io.romadr.worker.cluster;

import io.romadr.activities.LocalServerProcess;
import io.romadr.worker.SearchAttributesRegistrar;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The production Temporal server for tests: the binary built from {@code go.temporal.io/server} by
 * {@code scripts/tools}, with PostgreSQL persistence and visibility ({@link PostgresDatabases}) or SQLite in memory,
 * all four services in one process on free ports of 127.0.0.1. Unlike {@code temporal server start-dev} nothing is
 * pre-made: at the first start the harness registers the namespace and roma-dr's search attributes on the
 * visibility store, as an operator does on a new cluster. {@link #restart()} stops and starts the same server on the
 * same ports and databases (a server restart mid-recovery).
 */
public final class TemporalServerProcess extends LocalServerProcess {
    public static final String NAMESPACE = "default";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path root;
    private final Persistence persistence;
    private final int frontendPort;
    private final Security security;
    private final int internalFrontendPort;
    private WorkflowServiceStubs service;
    private boolean namespaceReady;

    /** Where the server keeps its data. */
    public sealed interface Persistence {
    }

    /** PostgreSQL: the two databases of {@link PostgresDatabases}. */
    public record Postgres(PostgresDatabases databases) implements Persistence {
    }

    /** SQLite in memory: everything is lost when the process stops (no restart test on it). */
    public record SqliteInMemory() implements Persistence {
    }

    /**
     * TLS on the frontend and/or authorization ({@link #NONE}: neither). With either, the server also runs its
     * {@code internal-frontend} (plaintext, 127.0.0.1, no authorization: what the server's own system worker uses),
     * and this harness's {@link #service()} talks to it, so it can make the namespace and read everything whatever
     * the clients under test are allowed.
     *
     * @param tls      the frontend's certificate; null: plaintext
     * @param jwksFile the JSON Web Key Set that verifies API keys (JWTs; the default claim mapper reads their
     *                 {@code permissions}, e.g. {@code ["default:admin"]}); null: no authorization
     */
    public record Security(FrontendTls tls, Path jwksFile) {
        public static final Security NONE = new Security(null, null);

        boolean any() {
            return tls != null || jwksFile != null;
        }
    }

    /** The frontend's PEM certificate and key; with {@code clientCaFile}, mutual TLS (requireClientAuth). */
    public record FrontendTls(Path certFile, Path keyFile, Path clientCaFile) {
    }

    private TemporalServerProcess(Path root, Persistence persistence, Security security) {
        super("temporal-server", root.resolve("temporal-server.log"), READY_TIMEOUT);
        this.root = root;
        this.persistence = persistence;
        this.frontendPort = freePort();
        this.security = security;
        this.internalFrontendPort = security.any() ? freePort() : 0;
    }

    /** Writes the configuration under {@code workDir}, starts the server, registers namespace and attributes. */
    public static TemporalServerProcess start(Path workDir, Persistence persistence) throws IOException {
        return start(workDir, persistence, Security.NONE);
    }

    /** As above, with TLS on the frontend and/or authorization. */
    public static TemporalServerProcess start(Path workDir, Persistence persistence, Security security)
            throws IOException {
        Files.createDirectories(workDir.resolve("config/dynamicconfig"));
        TemporalServerProcess server = new TemporalServerProcess(workDir, persistence, security);
        Files.writeString(workDir.resolve("config/development.yaml"), server.configYaml());
        Files.copy(GoTools.temporalConfig().resolve("dynamicconfig/development-sql.yaml"),
                workDir.resolve("config/dynamicconfig/development-sql.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        server.launch();
        return server;
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of(GoTools.temporalServer().toString(), "--root",
                root.toString(), "--config", "config", "--env", "development", "--allow-no-auth", "start"));
        if (security.any()) { // internal-frontend is not among the services started by default
            for (String s : List.of("frontend", "internal-frontend", "history", "matching", "worker")) {
                cmd.addAll(List.of("--service", s));
            }
        }
        return cmd;
    }

    /** Ready: the frontend answers; the first time, the namespace and the search attributes are made too. */
    @Override
    protected Optional<String> notReady() {
        try {
            WorkflowServiceStubs s = service();
            s.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            if (security.any()) { // the harness talks to internal-frontend: the public frontend must listen too
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress("127.0.0.1", frontendPort), 2000);
                } catch (IOException e) {
                    return Optional.of("the frontend does not listen on " + address() + " yet");
                }
            }
            if (!namespaceReady) {
                registerNamespace(s);
                SearchAttributesRegistrar.ensure(s, NAMESPACE);
                // the frontend's namespace cache refreshes every few seconds: ready once a list call is accepted
                s.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).listWorkflowExecutions(
                        ListWorkflowExecutionsRequest.newBuilder().setNamespace(NAMESPACE).setPageSize(1).build());
                namespaceReady = true;
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e.toString());
        }
    }

    private static void registerNamespace(WorkflowServiceStubs s) {
        try {
            s.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).describeNamespace(
                    DescribeNamespaceRequest.newBuilder().setNamespace(NAMESPACE).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            s.blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS).registerNamespace(
                    RegisterNamespaceRequest.newBuilder().setNamespace(NAMESPACE)
                            .setWorkflowExecutionRetentionPeriod(com.google.protobuf.util.Durations.fromDays(1))
                            .build());
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace) and starts it again on the same ports and data. */
    public void restart() {
        stop();
        launch();
    }

    public String address() {
        return "127.0.0.1:" + frontendPort;
    }

    /**
     * A client connection to the frontend, made once (gRPC reconnects across restarts); with {@link Security}, to
     * the internal-frontend (plaintext, all permissions).
     */
    public synchronized WorkflowServiceStubs service() {
        if (service == null) {
            String target = security.any() ? "127.0.0.1:" + internalFrontendPort : address();
            service = WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
        }
        return service;
    }

    /** The server's version as it reports it (e.g. {@code 1.32.2}). */
    public String version() {
        return service().blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion();
    }

    /** What the cluster test prints: e.g. {@code PostgreSQL (postgres12) temporal_ab12cd34 + ..._vis}. */
    public String database() {
        if (persistence instanceof Postgres p) {
            return "PostgreSQL (" + PostgresDatabases.PLUGIN + ") " + p.databases().persistence() + " + "
                    + p.databases().visibility() + " on " + p.databases().host() + ":" + p.databases().port();
        }
        return "SQLite in memory";
    }

    @Override
    public void close() {
        if (service != null) {
            service.shutdownNow();
        }
        super.close();
    }

    private String configYaml() {
        StringBuilder y = new StringBuilder();
        y.append("log:\n  stdout: true\n  level: warn\n\n");
        y.append("persistence:\n  defaultStore: main\n  visibilityStore: visibility\n  numHistoryShards: 4\n");
        y.append("  datastores:\n");
        if (persistence instanceof Postgres p) {
            datastore(y, "main", p.databases(), p.databases().persistence(), 20);
            datastore(y, "visibility", p.databases(), p.databases().visibility(), 4);
        } else {
            sqlite(y, "main");
            sqlite(y, "visibility");
        }
        y.append("\nglobal:\n  membership:\n    maxJoinDuration: 30s\n    broadcastAddress: \"127.0.0.1\"\n");
        y.append("  metrics:\n    prometheus:\n      framework: \"tally\"\n      timerType: \"histogram\"\n");
        y.append("      listenAddress: \"127.0.0.1:").append(freePort()).append("\"\n");
        securityYaml(y);
        y.append('\n');
        y.append("services:\n");
        service(y, "frontend", frontendPort, freeMembershipPort(), freePort());
        if (security.any()) {
            service(y, "internal-frontend", internalFrontendPort, freeMembershipPort(), 0);
        }
        service(y, "matching", freePort(), freeMembershipPort(), 0);
        service(y, "history", freePort(), freeMembershipPort(), 0);
        service(y, "worker", freePort(), freeMembershipPort(), 0);
        y.append("""

                clusterMetadata:
                  enableGlobalNamespace: false
                  failoverVersionIncrement: 10
                  masterClusterName: "active"
                  currentClusterName: "active"
                  clusterInformation:
                    active:
                      enabled: true
                      initialFailoverVersion: 1
                      rpcName: "frontend"
                      rpcAddress: "127.0.0.1:%d"

                dcRedirectionPolicy:
                  policy: "noop"

                dynamicConfigClient:
                  filepath: "%s"
                  pollInterval: "10s"
                """.formatted(frontendPort,
                root.resolve("config/dynamicconfig/development-sql.yaml").toAbsolutePath()));
        return y.toString();
    }

    /** {@code global.tls.frontend} and {@code global.authorization} (as config/development-jwt.yaml). */
    private void securityYaml(StringBuilder y) {
        FrontendTls tls = security.tls();
        if (tls != null) {
            y.append("  tls:\n    frontend:\n      server:\n");
            y.append("        certFile: \"").append(tls.certFile().toAbsolutePath()).append("\"\n");
            y.append("        keyFile: \"").append(tls.keyFile().toAbsolutePath()).append("\"\n");
            if (tls.clientCaFile() != null) {
                y.append("        requireClientAuth: true\n");
                y.append("        clientCaFiles: [\"").append(tls.clientCaFile().toAbsolutePath()).append("\"]\n");
            }
        }
        if (security.jwksFile() != null) {
            y.append("  authorization:\n    authorizer: \"default\"\n    claimMapper: \"default\"\n");
            y.append("    jwtKeyProvider:\n      keySourceURIs:\n        - \"")
                    .append(security.jwksFile().toAbsolutePath().toUri()).append("\"\n");
        }
    }

    /**
     * A free port below 32768: the SQL stores keep membership ports in a smallint column, so a port from the
     * ephemeral range ({@link #freePort()}) is refused by PostgreSQL.
     */
    private static int freeMembershipPort() {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 1000; i++) {
            int port = 20000 + random.nextInt(12000);
            try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException e) {
                // taken: try another
            }
        }
        throw new IllegalStateException("no free port in 20000-31999 for the server's membership");
    }

    private static void datastore(StringBuilder y, String name, PostgresDatabases db, String database, int conns) {
        y.append("    ").append(name).append(":\n      sql:\n");
        y.append("        pluginName: \"").append(PostgresDatabases.PLUGIN).append("\"\n");
        y.append("        databaseName: \"").append(database).append("\"\n");
        y.append("        connectAddr: \"").append(db.host()).append(':').append(db.port()).append("\"\n");
        y.append("        connectProtocol: \"tcp\"\n");
        y.append("        user: \"").append(db.user()).append("\"\n");
        y.append("        password: \"").append(db.password()).append("\"\n");
        y.append("        maxConns: ").append(conns).append("\n        maxIdleConns: ").append(conns).append('\n');
        y.append("        maxConnLifetime: \"1h\"\n");
    }

    private static void sqlite(StringBuilder y, String name) {
        y.append("    ").append(name).append(":\n      sql:\n");
        // one in-memory database shared by both stores, as in the server's development-sqlite.yaml
        y.append("        pluginName: \"sqlite\"\n        databaseName: \"default\"\n");
        y.append("        connectAddr: \"localhost\"\n        connectProtocol: \"tcp\"\n");
        y.append("        connectAttributes:\n          mode: \"memory\"\n          cache: \"private\"\n");
        y.append("        maxConns: 1\n        maxIdleConns: 1\n        maxConnLifetime: \"1h\"\n");
    }

    private static void service(StringBuilder y, String name, int grpc, int membership, int http) {
        y.append("  ").append(name).append(":\n    rpc:\n");
        y.append("      grpcPort: ").append(grpc).append('\n');
        y.append("      membershipPort: ").append(membership).append('\n');
        y.append("      bindOnLocalHost: true\n");
        if (http > 0) {
            y.append("      httpPort: ").append(http).append('\n');
        }
    }

    /** The configuration file as written (for a failure message). */
    public String configText() throws IOException {
        return Files.readString(root.resolve("config/development.yaml"), StandardCharsets.UTF_8);
    }
}
