package io.romadr.cli;

import picocli.CommandLine.Option;

/** How a command starts its workflow: the id (default derived from the plan and the time) and whether to wait. */
final class StartOptions {
    @Option(names = {"--workflow-id", "--id"}, paramLabel = "ID",
            description = "Workflow id (default: <command>-<plan>-<yyyyMMdd-HHmmss>, UTC).")
    String workflowId;

    @Option(names = "--wait", description = "Wait for the workflow, print its report and exit by its outcome.")
    boolean waitForResult;

    String idOr(String defaultId) {
        return workflowId != null ? workflowId : defaultId;
    }
}
