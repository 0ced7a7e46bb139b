package io.romadr.scenario.drill;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Lists a plan's drill reports from its backup store (what {@code roma-dr drills list} shows as "Last Tested": the
 * store keeps them after Temporal's retention has dropped the drills' histories). Reads only.
 */
@WorkflowInterface
public interface DrillCatalogWorkflow {
    String TYPE = "DrillCatalogWorkflow";

    @WorkflowMethod
    DrillCatalog list(DrillCatalogRequest request);
}
