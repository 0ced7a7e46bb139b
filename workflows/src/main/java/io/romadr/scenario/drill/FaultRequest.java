package io.romadr.scenario.drill;

import io.romadr.plan.ServiceSpec;

/**
 * One fault to inject.
 *
 * @param service the plan's service (its compose project)
 * @param target  the compose service to break ("roma")
 * @param fault   kill, stop or remove
 * @param since   workflow time the drill decided to inject: a container that stopped after it was stopped by this
 *                drill (an earlier attempt), so it is not broken again
 */
public record FaultRequest(ServiceSpec service, String target, String fault, long since) {
}
