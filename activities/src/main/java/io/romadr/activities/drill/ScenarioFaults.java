package io.romadr.activities.drill;

import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import java.util.List;
import java.util.Map;

/**
 * One scenario's drill on its target: what it documents before (to compare after), the faults of
 * {@link io.romadr.scenario.drill.DrillFaults} it injects, and its independent verification. Every method looks
 * before it acts, so a retry after a worker crash never injects a fault twice.
 */
public interface ScenarioFaults {
    /** The scenario id this drills ("service-failure", ...: {@link io.romadr.scenario.drill.DrillFaults}). */
    String scenario();

    /** Adds what the verification will compare to {@code lines} (for people) and {@code fingerprints}. Reads only. */
    void document(RecoveryPlan plan, List<String> lines, Map<String, String> fingerprints);

    /** Injects {@code request.fault()}; an unknown fault or a target that cannot be broken is non-retryable. */
    FaultResult inject(FaultRequest request, int attempt);

    /** Checks the recovery against {@code request.before()}, with the report's Data Loss where it can be measured. */
    DrillVerification verify(VerifyRecoveredRequest request);
}
