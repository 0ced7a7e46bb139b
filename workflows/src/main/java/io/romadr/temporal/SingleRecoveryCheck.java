package io.romadr.temporal;

import io.romadr.runtime.RomaSearchAttributes;
import io.romadr.runtime.PlanInput;
import io.romadr.temporal.RecoveryClaimActivities.Claim;
import io.romadr.temporal.RecoveryClaimActivities.ClaimRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;

/**
 * One recovery per plan and scenario also for a recovery started under an ID of its own (the Web UI asks for one;
 * every roma-dr starter uses the canonical {@code roma-dr-<scenario>-<plan>} and is deduplicated by the server
 * before the run exists, see {@link RecoveryStarter}). Such a run first asks the server ({@link
 * RecoveryClaimActivities}) whether an earlier recovery of the plan is running; if so it records itself there as a
 * trigger and fails at once, naming the recovery that handles it, before any step has run. Behind a version marker,
 * so runs recorded before it replay unchanged; canonical runs never take this path.
 */
public final class SingleRecoveryCheck extends WorkerInterceptorBase {
    public static final String CHANGE_ID = "single-recovery-claim";
    /** The failure type of a run that another recovery handles. */
    public static final String HANDLED_ELSEWHERE = "RecoveryHandledElsewhere";

    private static final Logger log = Workflow.getLogger(SingleRecoveryCheck.class);
    private static final Map<String, String> SCENARIO_OF_TYPE = byType();

    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                String scenario = SCENARIO_OF_TYPE.get(Workflow.getInfo().getWorkflowType());
                Object request = input.getArguments().length == 0 ? null : input.getArguments()[0];
                if (scenario != null && request instanceof PlanInput p) {
                    claim(scenario, p);
                }
                return super.execute(input);
            }
        };
    }

    private static void claim(String scenario, PlanInput request) {
        String plan = request.plan();
        String id = Workflow.getInfo().getWorkflowId();
        if (id.equals(RecoveryStarter.workflowId(scenario, plan))
                || Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return;
        }
        // Visible to the plan's other starters from now on (the workflow sets them again, to the same values).
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.SCENARIO.valueSet(scenario),
                RomaSearchAttributes.PLAN.valueSet(plan));
        RecoveryClaimActivities claims = Workflow.newActivityStub(RecoveryClaimActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(15))
                        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                                .setMaximumInterval(Duration.ofSeconds(5)).setMaximumAttempts(5).build())
                        .build());
        Claim claim;
        try {
            claim = claims.claim(new ClaimRequest(scenario, plan, id, Workflow.getInfo().getRunId(),
                    request.requestedBy()));
        } catch (ActivityFailure e) {
            // The server cannot be asked: recovering matters more than the guard, so the recovery goes on.
            log.warn("could not check for another running recovery of plan {}: {}", plan, e.getMessage());
            return;
        }
        if (!"STARTED".equals(claim.action())) {
            throw ApplicationFailure.newNonRetryableFailure(claim.message(), HANDLED_ELSEWHERE);
        }
    }

    private static Map<String, String> byType() {
        Map<String, String> m = new java.util.HashMap<>();
        RecoveryStarter.SCENARIOS.forEach((scenario, type) -> m.put(type, scenario));
        return Map.copyOf(m);
    }
}
