package io.romadr.scenario.datacorruption;

import io.romadr.runtime.TriggerSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 2 of the seed, "data corruption": isolate (stop the producer), identify (validate every artifact,
 * classify), restore from the newest backup whose own files are valid (quarantining the originals first) or
 * regenerate, verify, restart the producer; the report states the actual data loss against the RPO. Start from the
 * Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface DataCorruptionRecoveryWorkflow extends TriggerSignal {
    String TYPE = "DataCorruptionRecoveryWorkflow";
    String SCENARIO = "data-corruption";

    @WorkflowMethod(name = TYPE)
    DataRecoveryReport recover(DataRecoveryRequest request);

    @QueryMethod
    DataRecoveryReport progress();
}
