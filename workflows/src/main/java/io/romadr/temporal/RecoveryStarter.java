package io.romadr.temporal;

import io.romadr.runtime.TriggerSignal;
import io.romadr.runtime.RomaSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.TriggerNotice;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The one way every starter (both webhooks, the CLI's {@code recover} commands, the drills) starts a recovery, so
 * that at most one recovery of a plan and scenario runs at a time:
 * <ul>
 *   <li>the workflow ID is canonical, {@code roma-dr-<scenario>-<plan>} ({@link #workflowId});</li>
 *   <li>the start is a raw {@code StartWorkflowExecution} with conflict policy use-existing and reuse policy
 *       allow-duplicate: a start while that recovery runs attaches to it, the server decides atomically (its
 *       {@code started} flag), and once it has closed the next start makes a new run;</li>
 *   <li>every start, the one that started the recovery and every one that attached to it, is recorded on the
 *       recovery with the signal {@value #TRIGGER_SIGNAL} (who, from where, about what);</li>
 *   <li>unless the plan allows concurrent scenarios, a start is refused while another scenario of the same plan
 *       runs, naming the one that started first. That check describes the scenarios' canonical IDs before the
 *       start; two different scenarios started in the same instant can both pass it, so after a start the check
 *       runs again and a recovery that is not the first running one of its plan (by the server's start time)
 *       terminates itself at once, before its first step has run in all likelihood.</li>
 * </ul>
 * A server that predates conflict policies answers ALREADY_EXISTS for a running ID: reported as attached.
 * <p>Speed (a burst of alerts makes every round trip count): each check sends its describes and its list query at
 * once, one round trip instead of five; it describes the starter's own canonical ID only when another running
 * recovery was found (only then does its start time decide anything); a server that answered the list query
 * UNIMPLEMENTED is not asked again; a started recovery's notice is signalled while the check after the start runs.
 * The start stays a plain start, not SignalWithStart: only a start's response says reliably whether it started a
 * run (the SDK's test server, the embedded one, leaves SignalWithStart's {@code started} unset).
 */
public final class RecoveryStarter {
    public static final String TRIGGER_SIGNAL = io.romadr.runtime.TriggerSignal.NAME;

    /** Scenario id to workflow type, for every scenario a recovery can be started for ({@link Scenario}). */
    public static final Map<String, String> SCENARIOS = scenarios();

    /**
     * Servers that answered a list query UNIMPLEMENTED (the SDK's test server, the embedded one): a property of the
     * server's build, so they are not asked again.
     */
    private static final Set<WorkflowServiceStubs> CANNOT_LIST = Collections
            .synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private final WorkflowClient client;
    private final String taskQueue;

    public RecoveryStarter(WorkflowClient client, String taskQueue) {
        this.client = client;
        this.taskQueue = taskQueue;
    }

    public enum Action {
        STARTED, ATTACHED, REFUSED
    }

    /**
     * What a start did. STARTED and ATTACHED: {@code workflowId}/{@code runId} is the recovery handling it. REFUSED:
     * they are the running recovery of {@code scenario} (another scenario of the plan) that blocks it.
     */
    public record Outcome(Action action, String workflowId, String runId, String scenario) {
        /** One line for a person: what handles the trigger, or why it was refused. */
        public String describe() {
            return switch (action) {
                case STARTED -> "started recovery " + workflowId;
                case ATTACHED -> "attached to running recovery " + workflowId;
                case REFUSED -> "refused: a " + scenario + " recovery of the same plan is running: " + workflowId
                        + " (a plan with recovery.concurrentScenarios: true allows both)";
            };
        }
    }

    /**
     * The plan's {@code recovery.concurrentScenarios}; false, the safe default, when the plan cannot be read here (the
     * recovery itself reports a broken plan at its load-plan step).
     */
    public static boolean concurrentScenarios(Supplier<RecoveryPlan> plan) {
        try {
            RecoveryPlan p = plan.get();
            return p != null && p.recovery().concurrentScenarios();
        } catch (RuntimeException unreadable) {
            return false;
        }
    }

    /** The one workflow ID of a plan's recovery in a scenario. */
    public static String workflowId(String scenario, String plan) {
        return "roma-dr-" + scenario + "-" + plan;
    }

    /**
     * Starts the scenario's recovery of {@code plan} with {@code request} (the scenario's request record), or
     * attaches {@code notice} to the one running.
     */
    public Outcome start(String scenario, String plan, Object request, TriggerNotice notice,
            boolean concurrentScenarios) {
        String type = type(scenario);
        String id = workflowId(scenario, plan);
        Running before = earliestRunning(plan, concurrentScenarios ? scenario : null, id);
        Outcome blocking = blockedBy(before.earliest(), id, scenario, notice);
        if (blocking != null && blocking.action() == Action.REFUSED) {
            // The describes are no snapshot: a run of this scenario that started earlier than the blocking one can
            // have become visible only after it. Looked at once more before refusing, so such a start attaches.
            blocking = blockedBy(earliestRunning(plan, concurrentScenarios ? scenario : null, id).earliest(), id,
                    scenario,
                    notice);
        }
        if (blocking != null) {
            return blocking;
        }
        // Checked again after the start only where that can find another run: with concurrent scenarios on a server
        // that cannot list, the one canonical ID looked at is this recovery's own.
        boolean recheck = !concurrentScenarios || before.listed();
        // The run we attach to can close between the start and the signal; then the next start makes a new run.
        for (int attempt = 0; attempt < 3; attempt++) {
            StartWorkflowExecutionResponse response = startOrAttach(type, id, request);
            if (response == null) { // old server: ALREADY_EXISTS
                if (signal(id, "", notice)) {
                    return new Outcome(Action.ATTACHED, id, "", scenario);
                }
                continue;
            }
            if (response.getStarted()) {
                // Who started it, in its timeline like every later trigger; sent while the check runs (a run that
                // yields is terminated with the notice in its history, and the notice is recorded where it went).
                Future<?> started = signalAsync(id, response.getRunId(), notice);
                Optional<WorkflowExecutionInfo> earlier = recheck
                        ? earliestRunning(plan, concurrentScenarios ? scenario : null, id).earliest()
                        : Optional.empty();
                if (earlier.isPresent() && !earlier.get().getExecution().getWorkflowId().equals(id)) {
                    Outcome yielded = attachOrRefuse(earlier.get(), scenario, notice);
                    if (yielded != null) {
                        terminate(id, response.getRunId(), yielded.describe());
                        return yielded;
                    }
                }
                signalled(started);
                return new Outcome(Action.STARTED, id, response.getRunId(), scenario);
            }
            if (signal(id, response.getRunId(), notice)) {
                // The run we joined may be one whose starter never saw it as started (a server can answer "not
                // started" to every caller of a start that races the close of the ID's previous run): nobody else
                // would check it against the plan's other recoveries, so this caller does, by the same rule.
                Optional<WorkflowExecutionInfo> earlier = recheck
                        ? earliestRunning(plan, concurrentScenarios ? scenario : null, id).earliest()
                        : Optional.empty();
                if (earlier.isPresent() && !earlier.get().getExecution().getWorkflowId().equals(id)) {
                    Outcome yielded = attachOrRefuse(earlier.get(), scenario, notice);
                    if (yielded != null) {
                        terminate(id, response.getRunId(), yielded.describe());
                        return yielded;
                    }
                }
                return new Outcome(Action.ATTACHED, id, response.getRunId(), scenario);
            }
        }
        throw new IllegalStateException("recovery " + id + " kept closing while being attached to; try again");
    }

    /**
     * For a recovery that is already running under its own ID (any ID: a Web UI start names its own): may it go on?
     * STARTED when it is the plan's first running recovery (of its scenario, with {@code concurrentScenarios});
     * ATTACHED to the first one of the same scenario ({@code notice} recorded there), or REFUSED by the first one of
     * another scenario. The same rule as {@link #start}, so every path lets exactly the earliest one run.
     */
    public Outcome claim(String scenario, String plan, String workflowId, String runId, TriggerNotice notice,
            boolean concurrentScenarios) {
        type(scenario);
        Optional<WorkflowExecutionInfo> first = earliestRunning(plan, concurrentScenarios ? scenario : null, workflowId)
                .earliest();
        if (first.isEmpty() || first.get().getExecution().getWorkflowId().equals(workflowId)) {
            return new Outcome(Action.STARTED, workflowId, runId, scenario);
        }
        Outcome blocking = attachOrRefuse(first.get(), scenario, notice);
        return blocking != null ? blocking : new Outcome(Action.STARTED, workflowId, runId, scenario);
    }

    /** What the earliest running recovery does to a start of {@code id}: null when there is none or it is {@code id}. */
    private Outcome blockedBy(Optional<WorkflowExecutionInfo> first, String id, String scenario, TriggerNotice notice) {
        return first.isPresent() && !first.get().getExecution().getWorkflowId().equals(id)
                ? attachOrRefuse(first.get(), scenario, notice)
                : null;
    }

    /** Attaches {@code notice} to {@code running} when it is of the same scenario, else refuses; null if it closed. */
    private Outcome attachOrRefuse(WorkflowExecutionInfo running, String scenario, TriggerNotice notice) {
        Outcome refused = refused(running);
        if (!refused.scenario().equals(scenario)) {
            return refused;
        }
        String runningId = running.getExecution().getWorkflowId();
        String runningRun = running.getExecution().getRunId();
        return signal(runningId, runningRun, notice)
                ? new Outcome(Action.ATTACHED, runningId, runningRun, scenario)
                : null;
    }

    /** Records {@code notice} on the running recovery of the plan and scenario; false when none is running. */
    public boolean notice(String scenario, String plan, TriggerNotice notice) {
        return signal(workflowId(scenario, plan), "", notice);
    }

    /** The running recovery of {@code id}, or empty. */
    public Optional<WorkflowExecutionInfo> running(String id) {
        return running(describeAsync(id));
    }

    private static Optional<WorkflowExecutionInfo> running(Future<DescribeWorkflowExecutionResponse> described) {
        WorkflowExecutionInfo info = described(described);
        return info != null && info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                ? Optional.of(info)
                : Optional.empty();
    }

    /** The scenario's request with nothing but the plan, who asks and why (what a webhook can say). */
    public static Object request(String scenario, String plan, String requestedBy, String reason) {
        return known(scenario).request(plan, requestedBy, reason);
    }

    /** As {@link #request(String, String, String, String)}, detected at {@code detectedAt} (RFC 3339, or null). */
    public static Object request(String scenario, String plan, String requestedBy, String reason,
            String detectedAt) {
        return known(scenario).request(plan, requestedBy, reason, detectedAt);
    }

    public static String type(String scenario) {
        return known(scenario).type();
    }

    private static Scenario known(String scenario) {
        return Scenario.byId(scenario).orElseThrow(() -> new IllegalArgumentException(
                "unknown scenario \"" + scenario + "\" (known: " + SCENARIOS.keySet() + ")"));
    }

    /**
     * The running recovery of the plan ({@code scenario} only, when not null) that started first, ties broken by run
     * ID. Only that one never yields, so a refusal names it and a start that finds an earlier one yields. Looks at
     * the canonical IDs (exact) and, where the server has the search attributes, at the plan's runs under any other
     * ID (a Web UI start; visibility lags the start by about a second). All of them asked at once, except the
     * caller's own ID {@code self}: its start time matters only against another running recovery, so it is described
     * only when there is one (every caller only asks whether a recovery other than {@code self} comes first).
     */
    private Running earliestRunning(String plan, String scenario, String self) {
        List<Future<DescribeWorkflowExecutionResponse>> described = new ArrayList<>();
        boolean selfCanonical = false;
        for (String s : SCENARIOS.keySet()) {
            if (scenario == null || scenario.equals(s)) {
                String id = workflowId(s, plan);
                if (id.equals(self)) {
                    selfCanonical = true;
                } else {
                    described.add(describeAsync(id));
                }
            }
        }
        Future<ListWorkflowExecutionsResponse> listed = CANNOT_LIST.contains(client.getWorkflowServiceStubs())
                ? null
                : runningUnderOtherIds(plan, scenario);
        List<WorkflowExecutionInfo> candidates = new ArrayList<>();
        for (Future<DescribeWorkflowExecutionResponse> d : described) {
            running(d).ifPresent(candidates::add);
        }
        Optional<List<WorkflowExecutionInfo>> others = listed(listed);
        others.ifPresent(candidates::addAll);
        if (selfCanonical && candidates.stream().anyMatch(c -> !c.getExecution().getWorkflowId().equals(self))) {
            running(self).ifPresent(candidates::add);
        }
        return new Running(candidates.stream().reduce((a, b) -> earlier(a, b) ? a : b), others.isPresent());
    }

    /** The earliest running recovery found, and whether the server could list runs under other IDs. */
    private record Running(Optional<WorkflowExecutionInfo> earliest, boolean listed) {
    }

    /** The plan's running recoveries found by the search attributes, asked for without waiting. */
    private Future<ListWorkflowExecutionsResponse> runningUnderOtherIds(String plan, String scenario) {
        String types = SCENARIOS.entrySet().stream()
                .filter(e -> scenario == null || scenario.equals(e.getKey()))
                .map(e -> "'" + e.getValue() + "'").collect(Collectors.joining(", "));
        String query = RomaSearchAttributes.PLAN.getName() + " = '" + plan + "' AND WorkflowType IN (" + types
                + ") AND ExecutionStatus = 'Running'";
        return client.getWorkflowServiceStubs().futureStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(namespace()).setQuery(query).setPageSize(100).build());
    }

    /** The listed runs; empty where the server cannot list them ({@code listed} null: known not to). */
    private Optional<List<WorkflowExecutionInfo>> listed(Future<ListWorkflowExecutionsResponse> listed) {
        if (listed == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(await(listed).getExecutionsList());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                CANNOT_LIST.add(client.getWorkflowServiceStubs());
            }
            // A server without the search attributes (or without list queries, like the in-process test server):
            // the canonical IDs alone decide.
            return Optional.empty();
        }
    }

    private static Outcome refused(WorkflowExecutionInfo running) {
        String scenario = SCENARIOS.entrySet().stream()
                .filter(e -> e.getValue().equals(running.getType().getName())).map(Map.Entry::getKey)
                .findFirst().orElse(running.getType().getName());
        return new Outcome(Action.REFUSED, running.getExecution().getWorkflowId(), running.getExecution().getRunId(),
                scenario);
    }

    private static boolean earlier(WorkflowExecutionInfo a, WorkflowExecutionInfo b) {
        int byTime = Long.compare(a.getStartTime().getSeconds(), b.getStartTime().getSeconds()) != 0
                ? Long.compare(a.getStartTime().getSeconds(), b.getStartTime().getSeconds())
                : Integer.compare(a.getStartTime().getNanos(), b.getStartTime().getNanos());
        return byTime != 0
                ? byTime < 0
                : a.getExecution().getRunId().compareTo(b.getExecution().getRunId()) < 0;
    }

    private StartWorkflowExecutionResponse startOrAttach(String type, String id, Object request) {
        var input = client.getOptions().getDataConverter().toPayloads(request)
                .orElseThrow(() -> new IllegalStateException("no payload for the request"));
        StartWorkflowExecutionRequest start = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace())
                .setWorkflowId(id)
                .setWorkflowType(WorkflowType.newBuilder().setName(type))
                .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                .setInput(input)
                .setIdentity(client.getOptions().getIdentity())
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build();
        try {
            return client.getWorkflowServiceStubs().blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS).startWorkflowExecution(start);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return null;
            }
            throw e;
        }
    }

    private boolean signal(String id, String runId, TriggerNotice notice) {
        try {
            client.newUntypedWorkflowStub(id, runId.isEmpty() ? Optional.empty() : Optional.of(runId),
                    Optional.empty()).signal(TRIGGER_SIGNAL, notice);
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }

    /** The same signal as {@link #signal} of one run, sent without waiting; a closed run is fine. */
    private Future<?> signalAsync(String id, String runId, TriggerNotice notice) {
        SignalWorkflowExecutionRequest.Builder request = SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace())
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId))
                .setSignalName(TRIGGER_SIGNAL)
                .setIdentity(client.getOptions().getIdentity())
                .setRequestId(UUID.randomUUID().toString());
        client.getOptions().getDataConverter().toPayloads(notice).ifPresent(request::setInput);
        return client.getWorkflowServiceStubs().futureStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                .signalWorkflowExecution(request.build());
    }

    /** Whether the signal reached its run; false when the run had closed. */
    private static boolean signalled(Future<?> signal) {
        try {
            await(signal);
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private Future<DescribeWorkflowExecutionResponse> describeAsync(String id) {
        return client.getWorkflowServiceStubs().futureStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());
    }

    /** The described run, null when there is none. */
    private static WorkflowExecutionInfo described(Future<DescribeWorkflowExecutionResponse> described) {
        try {
            return await(described).getWorkflowExecutionInfo();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return null;
            }
            throw e;
        }
    }

    /** The answer of an RPC sent without waiting; its failure thrown as the blocking stub would throw it. */
    private static <T> T await(Future<T> rpc) {
        try {
            return rpc.get();
        } catch (InterruptedException e) {
            rpc.cancel(true);
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException failed) {
                throw failed;
            }
            throw Status.fromThrowable(e.getCause()).asRuntimeException();
        }
    }

    /** Terminates the run; one already closed (another caller terminated the same loser) is fine. */
    private void terminate(String id, String runId, String reason) {
        try {
            client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                    .terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                            .setNamespace(namespace())
                            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId))
                            .setReason(reason)
                            .setIdentity(client.getOptions().getIdentity())
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
    }

    private String namespace() {
        return client.getOptions().getNamespace();
    }

    private static Map<String, String> scenarios() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Scenario s : Scenario.ALL) {
            m.put(s.id(), s.type());
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
