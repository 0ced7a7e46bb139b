package io.romadr.runtime;

import io.romadr.report.Outcome;
import io.romadr.runtime.RomaSearchAttributes;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Workflow-side: a run's outcome and the search attributes that let a list or a query find it (scenario, plan,
 * outcome, and for the recoveries with a live RTO clock from the start, RTO breached). RUNNING until finished.
 */
public final class RunStatus {
    private Outcome outcome = Outcome.RUNNING;

    /**
     * Marks the run as {@code scenario} of {@code plan}, RUNNING, in one upsert; {@code rtoClock} adds RTO breached
     * false (the scenarios whose first upsert always carried it).
     */
    public void start(String scenario, String plan, boolean rtoClock) {
        List<SearchAttributeUpdate<?>> updates = new ArrayList<>(List.of(
                RomaSearchAttributes.SCENARIO.valueSet(scenario),
                RomaSearchAttributes.PLAN.valueSet(plan == null ? "" : plan),
                RomaSearchAttributes.OUTCOME.valueSet(Outcome.RUNNING.name())));
        if (rtoClock) {
            updates.add(RomaSearchAttributes.RTO_BREACHED.valueSet(false));
        }
        Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean running() {
        return outcome == Outcome.RUNNING;
    }

    /** Records the outcome; search attribute first, so a query or a list shows it with the report. */
    public void finish(Outcome result) {
        outcome = result;
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.OUTCOME.valueSet(result.name()));
    }
}
