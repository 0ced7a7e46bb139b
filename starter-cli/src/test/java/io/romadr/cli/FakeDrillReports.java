package io.romadr.cli;

import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.ListDrillReportsRequest;
import io.romadr.scenario.drill.StoreDrillReportRequest;
import io.romadr.scenario.drill.StoredDrillReport;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import java.util.List;

/**
 * The drill activities for the CLI tests: the real DrillCatalogWorkflow lists through them. Plan {@value #PLAN} has
 * three stored reports (Scenario 1 twice, Scenario 2 once) and one the store could not read; every other plan none.
 * (The real store: the activities' DrillReportStoreTest and the worker's DrillsListEndToEndTest.)
 */
final class FakeDrillReports implements DrillActivities {
    static final String PLAN = "calstore";
    static final long DEC_1 = 1_796_119_200_000L; // 2026-12-01 10:00:00 UTC

    static StoredDrillReport stored(String id, String scenario, long startedAt, boolean success, Long rtoActual,
            boolean signedOff) {
        String prefix = "drills/" + PLAN + "/x-" + scenario + "-" + id;
        return new StoredDrillReport(PLAN, scenario, id, "2026-12-01", startedAt, success, 900_000L, rtoActual,
                signedOff, "file:///tmp/roma-dr-cli-test/" + prefix + ".html", prefix);
    }

    @Override
    public DrillCatalog listReports(ListDrillReportsRequest request) {
        if (!request.plan().equals(PLAN)) {
            return new DrillCatalog(request.plan(), request.store().uri(), List.of(), "");
        }
        return new DrillCatalog(PLAN, request.store().uri(), List.of(
                stored("drill-sf-old", "service-failure", DEC_1 - 86_400_000L * 30, false, null, true),
                stored("drill-dc", "data-corruption", DEC_1 - 3_600_000L, false, null, false),
                stored("drill-sf-new", "service-failure", DEC_1, true, 252_000L, true)),
                "skipped 1 report(s): drills/calstore/broken.json: not a drill report");
    }

    @Override
    public StoredDrillReport storeReport(StoreDrillReportRequest request) {
        throw new IllegalStateException("the CLI tests only list");
    }

    @Override
    public DrillState documentState(DocumentStateRequest request) {
        throw new IllegalStateException("the CLI tests only list");
    }

    @Override
    public FaultResult injectFault(FaultRequest request) {
        throw new IllegalStateException("the CLI tests only list");
    }

    @Override
    public DrillVerification verifyRecovered(VerifyRecoveredRequest request) {
        throw new IllegalStateException("the CLI tests only list");
    }
}
