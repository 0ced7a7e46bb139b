package io.romadr.scenario.drill;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.romadr.plan.DurationDeserializer;
import io.romadr.runtime.PlanInput;
import java.time.Duration;

/**
 * One drill (seed: "Testing & Validation"): rehearse {@code scenario} against {@code plan}'s target.
 *
 * @param plan           the plan drilled: a staging plan, or a sandbox plan the drill made
 * @param scenario       service-failure, data-corruption, site-loss or git-loss
 * @param fault          what to break (scenario-specific, e.g. "kill", "stop", "remove" for service-failure;
 *                       empty: the scenario's default fault)
 * @param objective      what is tested ("Service restart within 15 min"); empty: worded from the scenario
 * @param coordinator    seed roles: who runs the drill
 * @param operator       who performs the recovery
 * @param observer       who watches and times it
 * @param manager        who signs off last
 * @param rtoTarget      the success criterion ("15m", as in a plan); null: the plan's RTO for the scenario
 * @param signOffTimeout how long the drill waits for the sign-offs after the recovery (null: 24 h); a drill not signed
 *                       off in time is reported as such
 * @param requestedBy    "schedule", "cli:alice", ...
 */
public record DrillRequest(String plan, String scenario, String fault, String objective, String coordinator,
        String operator, String observer, String manager,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rtoTarget,
        @JsonDeserialize(using = DurationDeserializer.class) Duration signOffTimeout,
        String requestedBy) implements PlanInput {
}
