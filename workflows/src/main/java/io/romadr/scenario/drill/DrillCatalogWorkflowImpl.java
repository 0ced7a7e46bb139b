package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import java.time.Duration;
import java.util.Map;

/**
 * Loads the plan and lists its drill reports from its backup store. A plan without a store, or a store that cannot
 * be read, is a catalog with its problem (the CLI still shows the calendar), not a failed run; only a plan that does
 * not load fails it (the failure carries the catalog with the reason, as every run's failure carries its report).
 * Deterministic, no I/O.
 */
public class DrillCatalogWorkflowImpl implements DrillCatalogWorkflow {
    static final int ATTEMPTS = 3;
    /** Reading every report's JSON of a plan with years of drills from S3. */
    static final Duration LIST_TIMEOUT = Duration.ofMinutes(2);

    private final Steps steps = Steps.failingRunByActivityType(Map.of(DrillActivities.class, ATTEMPTS));

    @Override
    public DrillCatalog list(DrillCatalogRequest request) {
        RecoveryPlan plan;
        try {
            plan = steps.loadPlan(request.plan());
        } catch (Steps.Failed e) {
            throw RunFailure.of(RunFailure.LIST_FAILED, e.getMessage(), new DrillCatalog(request.plan(), "", null,
                    e.getMessage()));
        }
        if (plan.backup() == null) {
            return new DrillCatalog(plan.name(), "", null, "plan " + plan.name()
                    + " has no backup store");
        }
        DrillActivities drills = steps.stub(DrillActivities.class, LIST_TIMEOUT, null, Retries.of(ATTEMPTS));
        try {
            return steps.run("list-reports", () -> drills.listReports(new ListDrillReportsRequest(
                    plan.backup().store(), plan.name())), c -> c.reports().size() + " report(s)");
        } catch (Steps.Failed e) {
            return new DrillCatalog(plan.name(), plan.backup().store().uri(), null,
                    "the store could not be read: " + e.getMessage());
        }
    }
}
