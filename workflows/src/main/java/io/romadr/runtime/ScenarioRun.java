package io.romadr.runtime;

import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.TriggerNotice;
import io.temporal.workflow.Workflow;
import java.util.function.Function;

/**
 * Workflow-side: what a scenario workflow (2-4) does around its runbook, written once: the run's status, its
 * report (built by {@code report} from a summary, for the end and for the progress query) and the later triggers
 * on its timeline.
 *
 * @param <R> the scenario's report
 */
public final class ScenarioRun<R> {
    private final Steps steps;
    private final Function<String, R> report;
    private final RunStatus status = new RunStatus();
    private final Notifier notifier;
    private RecoveryNotices notices;
    private TriggerNotice firstTrigger;
    private boolean started;
    private Long finishedAt;

    public ScenarioRun(Steps steps, Notifier notifier, Function<String, R> report) {
        this.steps = steps;
        this.notifier = notifier;
        this.report = report;
    }

    /** See {@link RunStatus#start}; from here on {@link #progress} answers with a report. */
    public void start(String scenario, String plan, boolean rtoClock) {
        started = true;
        status.start(scenario, plan, rtoClock);
        notices = new RecoveryNotices(notifier, scenario);
        notices.trigger(firstTrigger);
    }

    /** What the run tells its contacts (started, escalated, recovered or failed); see {@link #start}. */
    public RecoveryNotices notices() {
        return notices;
    }

    /**
     * The run's end in workflow time once {@link #finish} has been called, else now: a report's finishedAt, which the
     * wait for the last notifications must not lengthen.
     */
    public long now() {
        return finishedAt != null ? finishedAt : Workflow.currentTimeMillis();
    }

    public Outcome outcome() {
        return status.outcome();
    }

    public boolean running() {
        return status.running();
    }

    /**
     * Records the outcome, tells the contacts (resolving what the run opened; waiting a bounded time for the
     * deliveries, which the report's times do not count) and returns the final report.
     */
    public R finish(Outcome result, String summary) {
        status.finish(result);
        finishedAt = Workflow.currentTimeMillis();
        if (notices != null) {
            notices.finished(result, summary);
        }
        return report.apply(summary);
    }

    /** The report so far, for the progress query; null before the run has its request. */
    public R progress() {
        return started ? report.apply("") : null;
    }

    /** A later trigger of the recovery, as a step of its timeline. */
    public void notice(TriggerNotice notice) {
        steps.mark(notice.step(), StepOutcome.OK, notice.line());
        if (firstTrigger == null) {
            firstTrigger = notice;
        }
        if (notices != null) {
            notices.trigger(notice);
        }
    }
}
