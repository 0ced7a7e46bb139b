package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The seed's retention (state hourly for 7 days plus daily for 90, artifacts daily for 90, secrets last 10), or the
 * plan's own: decides from the manifests, deletes, and reports what it kept and why. Start from the Web UI with
 * {@code {"plan":"roma","dryRun":true}}.
 */
@WorkflowInterface
public interface RetentionWorkflow {
    String TYPE = "RetentionWorkflow";

    @WorkflowMethod
    RetentionReport apply(RetentionRequest request);

    @QueryMethod
    RetentionReport progress();
}
