package io.romadr.runtime;

import io.romadr.report.TriggerNotice;
import io.temporal.workflow.Workflow;

/**
 * What every scenario workflow implementation of Scenarios 2-4 holds and answers the same way: its step runner, RTO
 * clock and run (status, report, trigger notices), the trigger signal and the {@code progress} query. Each scenario
 * declares {@code progress()} with its own report type in its workflow interface (client-side typing); the
 * implementation here serves them all. Workflow-side code: deterministic, no I/O, no commands at construction.
 */
public abstract class ScenarioWorkflowBase<R> implements TriggerSignal {
    protected final Steps steps = new Steps();
    protected final RtoClock rto = new RtoClock(steps, Workflow.currentTimeMillis());
    protected final String workflowId = Workflow.getInfo().getWorkflowId();
    protected final long startedAt = Workflow.currentTimeMillis();
    protected final ScenarioRun<R> run = new ScenarioRun<>(steps, this::report);

    /** The report of this run as it stands, with {@code summary}. */
    protected abstract R report(String summary);

    @Override
    public void triggerNotice(TriggerNotice notice) {
        run.notice(notice);
    }

    public R progress() {
        return run.progress();
    }
}
