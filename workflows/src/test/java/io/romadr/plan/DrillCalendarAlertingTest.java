package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A calendar entry asks for an alerting drill with {@code alerting: true}; left out, it is a drill as before. */
class DrillCalendarAlertingTest {
    private final PlanLoader loader = new PlanLoader();

    @Test
    void alertingIsReadAndDefaultsToFalse() {
        RecoveryPlan plan = loader.parse("demo.yaml", PlanLoaderTest.MINIMAL + """
                drills:
                  service-failure:
                    schedule: "0 10 1 * *"
                    alerting: true
                  git-loss:
                    schedule: "30 9 1 6 *"
                """);
        assertTrue(plan.drills().serviceFailure().alerting());
        assertFalse(plan.drills().gitLoss().alerting());
    }
}
