package io.romadr.worker.host;

import io.micrometer.core.instrument.Tags;
import io.romadr.report.PendingApproval;
import io.romadr.report.ScenarioReport;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaWorkflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recoveries running now and the approvals they wait for, asked from Temporal (not counted by the worker: a
 * gauge kept by the interceptors would be wrong after a crash, on a second worker, or while a history is replayed).
 * For each scenario's workflow type it lists the open executions (the plain open-executions list, which every
 * server and the in-process test server answer; no search attribute needed) and asks at most
 * {@code maxQueried} of them, over all scenarios, their {@code progress} query: its plan and its pending approval.
 * A run not asked (over the bound) or that does not answer still counts as running, with plan {@code unknown}.
 * <ul>
 *   <li>{@code romadr_recoveries_running{plan,scenario}}</li>
 *   <li>{@code romadr_approvals_pending{plan,scenario}} and {@code romadr_approval_pending_since_seconds{plan,
 *       scenario}} (when the oldest was asked)</li>
 * </ul>
 * A query needs a worker of the task queue to answer it; where none runs, the list alone is published.
 */
public final class RecoveryStatusCollector implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RecoveryStatusCollector.class);
    static final String UNKNOWN = "unknown";

    private final Supplier<WorkflowClient> client;
    private final String namespace;
    private final int maxQueried;
    private final RomaMetrics metrics;

    /** {@code client}: the host's client once connected (it may throw before). */
    public RecoveryStatusCollector(Supplier<WorkflowClient> client, String namespace, int maxQueried,
            RomaMetrics metrics) {
        this.client = client;
        this.namespace = namespace;
        this.maxQueried = maxQueried;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        WorkflowClient c;
        Map<Tags, Long> running = new HashMap<>();
        Map<Tags, Long> pending = new HashMap<>();
        Map<Tags, Long> since = new HashMap<>();
        try {
            c = client.get();
            int queried = 0;
            for (Map.Entry<String, String> scenario : RecoveryStarter.SCENARIOS.entrySet()) {
                for (WorkflowExecutionInfo info : open(c.getWorkflowServiceStubs(), scenario.getValue())) {
                    if (!info.getType().getName().equals(scenario.getValue())) {
                        continue; // the in-process test server ignores the type filter
                    }
                    Optional<ScenarioReport> progress = queried < maxQueried
                            ? progress(c, info.getExecution(), scenario.getValue())
                            : Optional.empty();
                    queried++;
                    String plan = progress.map(ScenarioReport::plan).filter(p -> !p.isBlank()).orElse(UNKNOWN);
                    Tags tags = Tags.of("plan", plan, "scenario", scenario.getKey());
                    running.merge(tags, 1L, Long::sum);
                    PendingApproval approval = progress.map(ScenarioReport::pendingApproval).orElse(null);
                    if (approval != null) {
                        pending.merge(tags, 1L, Long::sum);
                        since.merge(tags, approval.requestedAt(), Math::min);
                    }
                }
            }
        } catch (RuntimeException e) {
            // Keep the last values rather than publishing "nothing runs" when Temporal could not be asked.
            metrics.collectorError("recoveries");
            log.warn("recovery status: cannot list the running recoveries: {}", e.getMessage());
            return;
        }
        metrics.recoveriesRunning(running);
        metrics.approvalsPending(pending, since);
    }

    private Iterable<WorkflowExecutionInfo> open(WorkflowServiceStubs service, String type) {
        StartTimeFilter all = StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(0))
                .setLatestTime(com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(Instant.now().getEpochSecond() + 3600))
                .build();
        return service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                .listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(namespace).setMaximumPageSize(1000).setStartTimeFilter(all)
                        .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(type)).build())
                .getExecutionsList();
    }

    private static Optional<ScenarioReport> progress(WorkflowClient c, WorkflowExecution execution, String type) {
        try {
            return Optional.ofNullable(c.newUntypedWorkflowStub(execution, Optional.of(type))
                    .query(RomaWorkflows.PROGRESS_QUERY, RomaWorkflows.report(type, true)));
        } catch (RuntimeException e) {
            log.debug("recovery status: {} did not answer its progress query: {}", execution.getWorkflowId(),
                    e.getMessage());
            return Optional.empty();
        }
    }
}
