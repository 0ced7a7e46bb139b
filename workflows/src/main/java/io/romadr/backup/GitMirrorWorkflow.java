package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed backup kind 1: fetch every branch and tag of the plan's primary git remote and make each backup remote equal
 * to it (creates, fast-forwards and deletions explicit; rewrites refused unless the plan allows them), then read
 * each backup's refs back. Backups are pushed in parallel; one that stays unreachable after its retries fails only
 * its own row, and the run then fails visibly with the report. Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface GitMirrorWorkflow {
    String TYPE = "GitMirrorWorkflow";

    @WorkflowMethod
    GitMirrorReport mirror(BackupRequest request);

    @QueryMethod
    GitMirrorReport progress();
}
