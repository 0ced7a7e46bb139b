package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A calendar entry with {@code alerting: true} schedules an alerting drill; the others' requests are as before. */
class DrillSchedulesAlertingTest {

    @Test
    void onlyTheEntryThatAsksForItIsAnAlertingDrill() {
        RecoveryPlan plan = new PlanLoader().parse("cal.yaml", DrillCommandsTest.PlanDrillsYaml.PLAN.replace(
                "operator: bob }", "operator: bob, alerting: true }"));
        List<PlannedSchedule> drills = DrillSchedules.of(plan);

        DrillRequest s1 = (DrillRequest) drills.get(0).argument();
        assertEquals("service-failure", s1.scenario());
        assertTrue(s1.alertingDrill());
        assertNull(s1.alertTimeout(), "the drill's default wait");
        DrillRequest s2 = (DrillRequest) drills.get(1).argument();
        assertEquals("data-corruption", s2.scenario());
        // null, not false: equal to the request an existing schedule carries, so `schedules apply` changes nothing
        assertNull(s2.alerting());
    }
}
