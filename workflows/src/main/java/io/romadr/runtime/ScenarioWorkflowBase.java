package io.romadr.runtime;

import io.romadr.plan.RecoveryPlan;
import io.romadr.report.IncidentTimes;
import io.romadr.report.TriggerNotice;
import io.temporal.workflow.Workflow;

/**
 * What every scenario workflow implementation of Scenarios 2-4 holds and answers the same way: its step runner, RTO
 * clock, notifier and run (status, report, trigger notices), the trigger signal and the {@code progress} query. Each scenario
 * declares {@code progress()} with its own report type in its workflow interface (client-side typing); the
 * implementation here serves them all. Workflow-side code: deterministic, no I/O, no commands at construction.
 */
public abstract class ScenarioWorkflowBase<R> implements TriggerSignal {
    protected final Steps steps = new Steps();
    protected final String workflowId = Workflow.getInfo().getWorkflowId();
    /** The worker's first workflow task: where the runbook's phases start. */
    protected final long startedAt = Workflow.currentTimeMillis();
    /** Where the RTO clock starts (see {@link #startClock}); the report's startedAt. */
    protected long clockStart = startedAt;
    /** When the incident was detected, requested and first worked on; null for a run before {@link IncidentClock}. */
    protected IncidentTimes incident;
    /** Tells the plan's contacts; sends nothing before {@link #planLoaded} (nor for a plan without routes). */
    protected final Notifier notifier = new Notifier(steps, workflowId, startedAt);
    protected final RtoClock rto = new RtoClock(steps, startedAt, notifier);
    protected final ScenarioRun<R> run = new ScenarioRun<>(steps, notifier, this::report);

    /** The report of this run as it stands, with {@code summary}; its finishedAt is {@link ScenarioRun#now()}. */
    protected abstract R report(String summary);

    /**
     * Call first in the workflow method, before any other command: the RTO clock, the notices and the report count
     * from the incident ({@link IncidentClock}).
     */
    protected void startClock(PlanInput request) {
        incident = IncidentClock.begin(request);
        clockStart = IncidentClock.start(incident, startedAt);
        rto.from(clockStart);
        notifier.from(clockStart);
    }

    /**
     * The plan is loaded and its RTO budget known: notices are routed from here on. Call before starting the RTO
     * clock (its 50%/80% timers need the routes), then {@link #recoveryStarted}.
     */
    protected void planLoaded(RecoveryPlan plan, long rtoMillis) {
        run.notices().plan(plan, rtoMillis);
    }

    /** Tells the plan's contacts the recovery started, and what started it. */
    protected void recoveryStarted(long rtoMillis, String requestedBy, String reason) {
        run.notices().started(rtoMillis, requestedBy, reason);
    }

    @Override
    public void triggerNotice(TriggerNotice notice) {
        run.notice(notice);
    }

    public R progress() {
        return run.progress();
    }
}
