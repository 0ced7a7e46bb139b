package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The plan's {@code drills:} calendar (seed: "Recovery Drills Schedule"): at most one entry per scenario, keyed by
 * the scenario id. A scenario left out is not drilled on a schedule.
 */
public record DrillsSpec(
        @JsonProperty("service-failure") DrillCalendarEntry serviceFailure,
        @JsonProperty("data-corruption") DrillCalendarEntry dataCorruption,
        @JsonProperty("site-loss") DrillCalendarEntry siteLoss,
        @JsonProperty("git-loss") DrillCalendarEntry gitLoss) {

    public static final DrillsSpec NONE = new DrillsSpec(null, null, null, null);

    /** The entries by scenario id, in the seed's order; scenarios without one are left out. */
    @JsonIgnore
    public Map<String, DrillCalendarEntry> byScenario() {
        Map<String, DrillCalendarEntry> all = new LinkedHashMap<>();
        put(all, "service-failure", serviceFailure);
        put(all, "data-corruption", dataCorruption);
        put(all, "site-loss", siteLoss);
        put(all, "git-loss", gitLoss);
        return all;
    }

    private static void put(Map<String, DrillCalendarEntry> all, String scenario, DrillCalendarEntry entry) {
        if (entry != null) {
            all.put(scenario, entry);
        }
    }
}
