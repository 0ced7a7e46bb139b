package io.romadr.scenario.drill;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Tells the team about the plan's coming drills ({@code drill-upcoming}, each calendar entry's {@code notifyBefore}
 * ahead). Run hourly by the plan's notice Schedule ({@code roma-dr schedules apply}); keeps no state between runs:
 * each run announces the drills whose notice time fell in the hour before it.
 */
@WorkflowInterface
public interface DrillNoticeWorkflow {
    String TYPE = "DrillNoticeWorkflow";

    @WorkflowMethod(name = TYPE)
    DrillNoticeReport announce(DrillNoticeRequest request);
}
