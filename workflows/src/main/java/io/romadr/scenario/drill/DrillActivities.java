package io.romadr.scenario.drill;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a drill does to and reads from its target, besides the scenario's own recovery: documents the state before,
 * injects the fault, checks the recovery independently of the scenario's workflow, and keeps the report in the plan's
 * backup store. Every method is idempotent.
 */
@ActivityInterface
public interface DrillActivities {
    /**
     * The seed's "document current state": the plan's containers with their state and image digest, the newest
     * backup of each kind in the plan's store and its age, the git tips; plus the fingerprints the scenario's
     * verification compares afterwards. Reads only.
     */
    @ActivityMethod
    DrillState documentState(DocumentStateRequest request);

    /**
     * Breaks the target as {@code request} says. Looks at the target first: a fault an earlier attempt injected
     * (after a worker crash) is reported as such, never injected twice.
     */
    @ActivityMethod
    FaultResult injectFault(FaultRequest request);

    /** Independent checks after the recovery, against the state before (health, images, data, refs). */
    @ActivityMethod
    DrillVerification verifyRecovered(VerifyRecoveredRequest request);

    /** Writes the report's three renderings to the store; writing the same report again overwrites it. */
    @ActivityMethod
    StoredDrillReport storeReport(StoreDrillReportRequest request);

    /**
     * The plan's stored drill reports, oldest first (read from their JSON), with the store's location; a report that
     * does not read back is left out and named in the catalog's problem.
     */
    @ActivityMethod
    DrillCatalog listReports(ListDrillReportsRequest request);
}
