package io.romadr.runtime;

import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.TriggerNotice;
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
    private boolean started;

    public ScenarioRun(Steps steps, Function<String, R> report) {
        this.steps = steps;
        this.report = report;
    }

    /** See {@link RunStatus#start}; from here on {@link #progress} answers with a report. */
    public void start(String scenario, String plan, boolean rtoClock) {
        started = true;
        status.start(scenario, plan, rtoClock);
    }

    public Outcome outcome() {
        return status.outcome();
    }

    public boolean running() {
        return status.running();
    }

    /** Records the outcome and returns the final report. */
    public R finish(Outcome result, String summary) {
        status.finish(result);
        return report.apply(summary);
    }

    /** The report so far, for the progress query; null before the run has its request. */
    public R progress() {
        return started ? report.apply("") : null;
    }

    /** A later trigger of the recovery, as a step of its timeline. */
    public void notice(TriggerNotice notice) {
        steps.mark(notice.step(), StepOutcome.OK, notice.line());
    }
}
