package io.romadr.worker.alertmanager;

import io.dropwizard.testing.DropwizardTestSupport;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.host.RomaDrApplication;
import io.romadr.worker.host.RomaDrConfiguration;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker host ({@link RomaDrApplication}) in this JVM, as {@code java -jar ... server worker.yml} would run it:
 * Dropwizard on 127.0.0.1 (free ports), the embedded Temporal server, the production activities on the real Docker
 * engine, the plans directory given, and the Alertmanager webhook with a bearer token read from a file. A second
 * Temporal client (this harness's own) lists and inspects the workflows the webhooks started.
 */
final class InProcessHost implements AutoCloseable {
    static final String TASK_QUEUE = "roma-dr-am-e2e";

    /** One {@code webhooks.alertmanager.routes} entry. */
    record Route(Map<String, String> matchers, String plan) {
    }

    /** One run of {@code ServiceRecoveryWorkflow}, open or closed. */
    record Run(String workflowId, String runId, Instant startTime, Instant closeTime, String status) {
    }

    private final DropwizardTestSupport<RomaDrConfiguration> support;
    private final TemporalConnection temporal;
    private final Path dir;

    private InProcessHost(DropwizardTestSupport<RomaDrConfiguration> support, TemporalConnection temporal, Path dir) {
        this.support = support;
        this.temporal = temporal;
        this.dir = dir;
    }

    static InProcessHost start(Path plansDir, String bearerToken, List<Route> routes) {
        Path dir;
        try {
            dir = Files.createTempDirectory("roma-dr-host-");
            Path token = dir.resolve("am-token");
            Files.writeString(token, bearerToken + "\n");
            int temporalPort = AlertmanagerProcess.freePort();
            StringBuilder y = new StringBuilder();
            y.append("server:\n");
            y.append("  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n");
            y.append("  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n");
            y.append("  requestLog: {appenders: []}\n");
            y.append("logging:\n  level: WARN\n");
            y.append("temporal:\n  embedded: true\n  embeddedPort: ").append(temporalPort).append('\n');
            y.append("  taskQueue: ").append(TASK_QUEUE).append('\n');
            y.append("plansDir: '").append(plansDir.toAbsolutePath()).append("'\n");
            y.append("webhooks:\n  alertmanager:\n    auth:\n      bearerTokenFile: '").append(token).append("'\n");
            y.append("    routes:\n");
            for (Route r : routes) {
                y.append("      - matchers: {");
                y.append(String.join(", ", r.matchers().entrySet().stream()
                        .map(e -> e.getKey() + ": '" + e.getValue() + "'").toList()));
                y.append("}\n        plan: ").append(r.plan()).append('\n');
            }
            Path config = dir.resolve("worker.yml");
            Files.writeString(config, y.toString());
            DropwizardTestSupport<RomaDrConfiguration> support = new DropwizardTestSupport<>(RomaDrApplication.class,
                    config.toString());
            support.before();
            TemporalConnection temporal;
            try {
                temporal = new TemporalConnection("127.0.0.1:" + temporalPort, "default");
            } catch (RuntimeException e) {
                support.after();
                throw e;
            }
            return new InProcessHost(support, temporal, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the worker host did not start: " + e.getMessage(), e);
        }
    }

    URI alertmanagerWebhook() {
        return URI.create("http://127.0.0.1:" + support.getLocalPort() + "/webhooks/alertmanager");
    }

    int adminPort() {
        return support.getAdminPort();
    }

    WorkflowClient client() {
        return temporal.client();
    }

    /** Every run of ServiceRecoveryWorkflow on this host's Temporal, open and closed. */
    List<Run> runs() {
        var stub = temporal.service().blockingStub();
        StartTimeFilter all = StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(0))
                .setLatestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()
                        + 3600))
                .build();
        WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(ServiceRecoveryWorkflow.TYPE).build();
        List<Run> runs = new ArrayList<>();
        for (WorkflowExecutionInfo i : stub.listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default").setMaximumPageSize(1000).setStartTimeFilter(all).setTypeFilter(type)
                .build()).getExecutionsList()) {
            runs.add(run(i));
        }
        for (WorkflowExecutionInfo i : stub.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest
                .newBuilder().setNamespace("default").setMaximumPageSize(1000).setStartTimeFilter(all)
                .setTypeFilter(type).build()).getExecutionsList()) {
            runs.add(run(i));
        }
        return runs;
    }

    private static Run run(WorkflowExecutionInfo i) {
        return new Run(i.getExecution().getWorkflowId(), i.getExecution().getRunId(), instant(i.getStartTime()),
                i.hasCloseTime() && i.getCloseTime().getSeconds() > 0 ? instant(i.getCloseTime()) : null,
                i.getStatus().name());
    }

    private static Instant instant(com.google.protobuf.Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** The history events of one run (e.g. to count the alert notices it received as signals). */
    List<HistoryEvent> history(String workflowId, String runId) {
        List<HistoryEvent> events = new ArrayList<>();
        var stub = temporal.service().blockingStub();
        com.google.protobuf.ByteString page = com.google.protobuf.ByteString.EMPTY;
        do {
            var r = stub.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                    .setNextPageToken(page).build());
            events.addAll(r.getHistory().getEventsList());
            page = r.getNextPageToken();
        } while (!page.isEmpty());
        return events;
    }

    long signals(String workflowId, String runId, String name) {
        return history(workflowId, runId).stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .filter(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName().equals(name))
                .count();
    }

    @Override
    public void close() {
        try {
            temporal.close();
        } finally {
            support.after();
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temp directory
            }
        }
    }
}
