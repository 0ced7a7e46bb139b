package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The faults a drill can inject per scenario (the seed's "Inject failure"), the first of each the default, and the
 * RTO target each scenario's recovery is held to. Pure: the workflow checks a request against it before anything is
 * broken, and the injectors on the worker implement exactly these names.
 */
public final class DrillFaults {
    /** Scenario id to its faults, the default first. */
    public static final Map<String, List<String>> FAULTS = Map.of(
            // a compose service's container: SIGKILL, docker stop, or removed (":service" picks one)
            "service-failure", List.of("kill", "stop", "remove"),
            // the plan's artifacts in the container: a few truncated, or most overwritten with garbage
            "data-corruption", List.of("truncate", "widespread"),
            // the site's containers removed with their volumes (the site's data is lost with them)
            "site-loss", List.of("remove-site"),
            // the git primary: a branch rewound by a force-push, or the repository deleted (file: remotes only)
            "git-loss", List.of("force-push", "delete"));

    private DrillFaults() {
    }

    /** The scenario's faults (empty for an unknown scenario). */
    public static List<String> faults(String scenario) {
        return FAULTS.getOrDefault(scenario, List.of());
    }

    /** The RTO target the scenario's own recovery is held to in {@code plan} (null when the plan cannot say). */
    public static Duration rtoTarget(String scenario, RecoveryPlan plan) {
        return switch (scenario) {
            case "service-failure" -> plan.rto().service();
            case "data-corruption" -> plan.rto().artifacts();
            case "site-loss" -> plan.rto().siteLoss();
            case "git-loss" -> plan.backup() == null || plan.backup().git() == null
                    ? null
                    : plan.backup().git().recovery().rto();
            default -> null;
        };
    }
}
