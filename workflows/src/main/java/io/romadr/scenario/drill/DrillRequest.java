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
 * @param alerting       true: an alerting drill (Scenario 1 only): after the fault the drill starts no recovery, it
 *                       waits for the one the monitoring starts (Prometheus, Alertmanager, the worker host's webhook)
 *                       and measures the delays; null or false: the drill runs the recovery itself
 * @param alertTimeout   how long an alerting drill waits for that recovery after the fault (null: 10 min); nothing
 *                       started by then fails the drill
 */
public record DrillRequest(String plan, String scenario, String fault, String objective, String coordinator,
        String operator, String observer, String manager,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rtoTarget,
        @JsonDeserialize(using = DurationDeserializer.class) Duration signOffTimeout,
        String requestedBy, Boolean alerting,
        @JsonDeserialize(using = DurationDeserializer.class) Duration alertTimeout) implements PlanInput {

    /** How long an alerting drill waits for the recovery its alert starts, unless the request says. */
    public static final Duration DEFAULT_ALERT_TIMEOUT = Duration.ofMinutes(10);

    /** A drill that runs the recovery itself (the request before alerting drills). */
    public DrillRequest(String plan, String scenario, String fault, String objective, String coordinator,
            String operator, String observer, String manager, Duration rtoTarget, Duration signOffTimeout,
            String requestedBy) {
        this(plan, scenario, fault, objective, coordinator, operator, observer, manager, rtoTarget, signOffTimeout,
                requestedBy, null, null);
    }

    /** True for an alerting drill. */
    public boolean alertingDrill() {
        return Boolean.TRUE.equals(alerting);
    }

    /** The alerting drill's wait for its recovery. */
    public Duration alertWait() {
        return alertTimeout == null || alertTimeout.isZero() ? DEFAULT_ALERT_TIMEOUT : alertTimeout;
    }
}
