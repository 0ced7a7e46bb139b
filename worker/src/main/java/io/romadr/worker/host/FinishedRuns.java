package io.romadr.worker.host;

import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;

/**
 * The part every metrics interceptor shares: it sees a workflow run end, with what it returned or, for a run that
 * failed, the report its {@link ApplicationFailure} carries in the details (null when none). Only a
 * {@link TemporalFailure} ends a run; any other exception fails the workflow task, which is retried, so it is not an
 * end. Nothing is reported while the workflow is replayed (the same rule as {@link Workflow#getMetricsScope()}), so a
 * run is reported once even when another worker replays its history.
 */
final class FinishedRuns {
    /** What to do with a finished run. */
    interface Listener {
        void finished(WorkflowInboundCallsInterceptor.WorkflowInput input, Object result, boolean failed);
    }

    private FinishedRuns() {
    }

    static WorkflowInboundCallsInterceptor intercept(WorkflowInboundCallsInterceptor next, Listener listener) {
        return new WorkflowInboundCallsInterceptorBase(next) {
            @Override
            public WorkflowOutput execute(WorkflowInput input) {
                WorkflowOutput output;
                try {
                    output = super.execute(input);
                } catch (TemporalFailure failed) {
                    report(listener, input, detailsOf(failed), true);
                    throw failed;
                }
                report(listener, input, output.getResult(), false);
                return output;
            }
        };
    }

    private static void report(Listener listener, WorkflowInboundCallsInterceptor.WorkflowInput input, Object result,
            boolean failed) {
        if (!Workflow.isReplaying()) {
            listener.finished(input, result, failed);
        }
    }

    private static Object detailsOf(TemporalFailure failed) {
        if (failed instanceof ApplicationFailure app && app.getDetails() != null && app.getDetails().getSize() > 0) {
            try {
                return app.getDetails().get(Object.class);
            } catch (RuntimeException e) {
                return null; // details this worker cannot read: the run still counts, without its report
            }
        }
        return null;
    }
}
