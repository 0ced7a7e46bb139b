package io.romadr.temporal;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;

/**
 * Refuses a workflow input that was read but cannot be used (none at all, no plan, an empty plan) before the
 * workflow runs: the execution fails at once with what was wrong and the expected JSON, and nothing is touched.
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
        return null;
    }
}
