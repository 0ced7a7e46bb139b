package io.romadr.scenario.servicefailure;

import io.romadr.plan.CommandStep;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What Scenario 1 does to the real service. Every method is idempotent: it checks the state first, so a retry after
 * a worker crash finishes the job instead of doing it twice. Long methods heartbeat.
 */
@ActivityInterface
public interface ServiceActivities {
    /** Container states, engine reachability, disk space, last log lines. Reads only. */
    @ActivityMethod
    Assessment assess(io.romadr.plan.ServiceSpec service);

    @ActivityMethod
    ActionResult restart(RestartRequest request);

    @ActivityMethod
    ActionResult recreate(RecreateRequest request);

    /** One of the plan's rebuild steps, run on the worker host. */
    @ActivityMethod
    ActionResult runCommand(CommandStep step);

    /** Polls the checks until all pass or the request's time is spent; heartbeats while it waits. */
    @ActivityMethod
    HealthResult waitHealthy(HealthRequest request);

    /**
     * The watch window: a round of the checks every {@code pollInterval} until {@code within} is spent or a round
     * fails (a relapse, {@code healthy} false); {@code probes} counts the rounds. Heartbeats; a retry resumes.
     */
    @ActivityMethod
    HealthResult watch(HealthRequest request);

    /** One round of the checks. */
    @ActivityMethod
    HealthResult check(HealthRequest request);
}
