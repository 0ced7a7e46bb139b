package io.romadr.cli;

import java.time.Clock;
import picocli.CommandLine.Mixin;

/**
 * What every command that starts one backup-side workflow does: the plan, the workflow id (default
 * {@code <prefix>-<plan>-<time>}), {@code --wait}, and the start itself through {@link WorkflowRun}.
 */
abstract class WorkflowStartCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Mixin
    StartOptions start;

    Clock clock = Clock.systemUTC();

    /** The default workflow id's prefix, e.g. {@code retention}. */
    abstract String idPrefix();

    /** The workflow to start, its report type and how the report reads. */
    abstract WorkflowRun<?> workflow();

    /** The workflow's request for {@code plan}; a {@link CliException} for options that do not go together. */
    abstract Object request(String plan);

    @Override
    protected final int run(TemporalOptions.Connection temporal) {
        String id = start.idOr(WorkflowRun.defaultId(idPrefix(), planOption.plan, clock));
        return workflow().run(temporal, id, request(planOption.plan), start.waitForResult, out(), err());
    }
}
