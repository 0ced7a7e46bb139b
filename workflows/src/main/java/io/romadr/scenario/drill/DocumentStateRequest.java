package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;

/**
 * The seed's "document current state" before a drill of {@code scenario} on {@code plan}.
 *
 * @param scenario the scenario drilled: its injector adds what it will compare afterwards (artifact digests, git
 *                 refs, ...)
 * @param plan     the drilled plan
 */
public record DocumentStateRequest(String scenario, RecoveryPlan plan) {
}
