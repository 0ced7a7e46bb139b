package io.romadr.report;

import java.util.Map;

/** The seed's names of the four scenarios (its "Recovery Drills Schedule"), for the reports' Scenario line. */
public final class ScenarioNames {
    private static final Map<String, String> NAMES = Map.of(
            "service-failure", "Service restart (Scenario 1)",
            "data-corruption", "Backup restore (Scenario 2)",
            "site-loss", "Full disaster recovery (Scenario 3)",
            "git-loss", "Git recovery (Scenario 4)");

    private ScenarioNames() {
    }

    /** "Service restart (Scenario 1)" for "service-failure"; an unknown id as it is; "" for null. */
    public static String of(String scenario) {
        return scenario == null ? "" : NAMES.getOrDefault(scenario, scenario);
    }
}
