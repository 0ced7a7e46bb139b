package io.romadr.scenario.drill;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One drill, durable from the pre-drill checklist to the sign-off: injects the scenario's fault into the drill's
 * target, runs the scenario's workflow as a child, verifies, collects notes, action items and sign-offs (updates, from
 * the Web UI or the CLI), and returns the seed's drill report.
 */
@WorkflowInterface
public interface DrillWorkflow {
    String TYPE = "DrillWorkflow";

    @WorkflowMethod(name = TYPE)
    DrillReport drill(DrillRequest request);

    /** The report so far. */
    @QueryMethod
    DrillReport progress();

    /** A deviation or lesson noted by a person, any time ("Issues Encountered"). */
    @UpdateMethod(name = "note")
    String note(DrillNote note);

    /** An action item ("Action Items"). */
    @UpdateMethod(name = "actionItem")
    String actionItem(DrillActionItem item);

    /** A sign-off by the operator, observer or manager. */
    @UpdateMethod(name = "signOff")
    String signOff(DrillSignOff signOff);

    /** Refuses an empty note, and any note once the report is final. */
    @UpdateValidatorMethod(updateName = "note")
    void validateNote(DrillNote note);

    /** Refuses an empty action item, and any once the report is final. */
    @UpdateValidatorMethod(updateName = "actionItem")
    void validateActionItem(DrillActionItem item);

    /** Refuses a sign-off by an unknown role or without a name, and any once the report is final. */
    @UpdateValidatorMethod(updateName = "signOff")
    void validateSignOff(DrillSignOff signOff);

    /** Update inputs: one record each. */
    record DrillNote(String author, String text) {
    }

    record DrillActionItem(String author, String text, String owner) {
    }

    record DrillSignOff(String role, String name, String comment) {
    }
}
