package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;

/**
 * One fault to inject into a drill's target.
 *
 * @param scenario the scenario drilled (service-failure, data-corruption, site-loss, git-loss): which injector acts
 * @param plan     the drilled plan, loaded by the workflow
 * @param fault    one of {@link DrillFaults#faults(String)} for the scenario (already checked by the workflow)
 * @param target   what to break, scenario-specific: a compose service for service-failure ("roma"); empty where the
 *                 fault names its target itself
 * @param since    workflow time the drill decided to inject: damage found that happened after it was done by this
 *                 drill (an earlier attempt), so it is not done twice
 */
public record FaultRequest(String scenario, RecoveryPlan plan, String fault, String target, long since) {
}
