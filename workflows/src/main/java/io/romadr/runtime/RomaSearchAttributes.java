package io.romadr.runtime;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes every roma-dr workflow sets, so the Web UI can list e.g. all breached recoveries
 * ({@code RomaRtoBreached = true}). The worker registers them on start where the server allows it.
 */
public final class RomaSearchAttributes {
    public static final SearchAttributeKey<String> SCENARIO = SearchAttributeKey.forKeyword("RomaScenario");
    public static final SearchAttributeKey<String> PLAN = SearchAttributeKey.forKeyword("RomaPlan");
    public static final SearchAttributeKey<String> OUTCOME = SearchAttributeKey.forKeyword("RomaOutcome");
    public static final SearchAttributeKey<Boolean> RTO_BREACHED = SearchAttributeKey.forBoolean("RomaRtoBreached");

    public static final List<SearchAttributeKey<?>> ALL = List.of(SCENARIO, PLAN, OUTCOME, RTO_BREACHED);

    private RomaSearchAttributes() {
    }
}
