package io.romadr.temporal;

import io.romadr.runtime.PlanInput;
import io.romadr.plan.RecoveryPlan;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

/**
 * Refuses a workflow input that was read but cannot be used (none at all, no plan, an empty plan, a plan name no
 * plan file can have, e.g. {@code ../x}) before the workflow runs: the execution fails at once with what was wrong
 * and the expected JSON, and nothing is touched.
 * What cannot be read at all is refused earlier, by {@link InputDataConverter}.
 */
public final class WorkflowInputCheck extends WorkerInterceptorBase {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                Class<?> record = RomaWorkflows.INPUTS.get(Workflow.getInfo().getWorkflowType());
                if (record != null) {
                    Object[] args = input.getArguments();
                    String problem = problem(args.length == 0 ? null : args[0]);
                    if (problem != null) {
                        throw ApplicationFailure.newNonRetryableFailure(WorkflowInputs.message(record, problem),
                                InvalidWorkflowInput.class.getName());
                    }
                }
                return super.execute(input);
            }
        };
    }

    private static String problem(Object input) {
        if (input == null) {
            return "no input";
        }
        if (input instanceof PlanInput p && p.plan() == null) {
            return "missing field \"plan\"";
        }
        if (input instanceof PlanInput p && p.plan().isBlank()) {
            return "field \"plan\" is empty";
        }
        if (input instanceof PlanInput p && !RecoveryPlan.isValidName(p.plan())) {
            String given = p.plan().length() > 40 ? p.plan().substring(0, 40) + "..." : p.plan();
            return "field \"plan\" is not a plan name (lower-case letters, digits, '.', '_' or '-', at most 63): \""
                    + given + "\"";
        }
        return null;
    }
}
