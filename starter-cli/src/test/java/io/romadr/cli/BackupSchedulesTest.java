package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.BackupRequest;
import io.romadr.backup.SecretsWatchWorkflow;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seed plan's backup schedules: the hourly secrets watch beside the daily export, overlap buffer-one. */
class BackupSchedulesTest {

    @Test
    void aPlanWithSecretsGetsAnHourlySecretsWatchThatBuffersOneInsteadOfSkipping() throws Exception {
        RecoveryPlan plan = new PlanLoader().parse("roma.yaml", Files.readString(Path.of("../deploy/plans/roma.yaml")));
        List<PlannedSchedule> all = BackupSchedules.of(plan);
        PlannedSchedule watch = all.stream().filter(s -> s.id().equals("roma-dr-roma-secretswatch")).findFirst()
                .orElseThrow(() -> new AssertionError(all.stream().map(PlannedSchedule::id).toList().toString()));
        Schedule s = SchedulesApplyCommand.schedule(watch, "q1");
        ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) s.getAction();
        assertEquals(SecretsWatchWorkflow.TYPE, action.getWorkflowType());
        assertEquals("secrets-watch-roma", action.getOptions().getWorkflowId());
        assertEquals(new BackupRequest("roma", "schedule"), action.getArguments().get(0, BackupRequest.class));
        assertEquals("every 1h", PlannedSchedule.when(s.getSpec()));
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE, s.getPolicy().getOverlap());
        assertTrue(all.stream().anyMatch(p -> p.id().equals("roma-dr-roma-secrets")), "the daily export stays");

        // A watch schedule stored with skip (a gap after every watch that ran over its hour) is updated.
        PlannedSchedule skipping = new PlannedSchedule(watch.id(), watch.kind(), watch.workflowType(),
                watch.workflowIdPrefix(), watch.argument(), watch.spec());
        assertEquals(List.of("overlap policy"), SchedulesApplyCommand.differences(
                SchedulesApplyCommand.schedule(skipping, "q1"), s, watch.argument()));
        assertEquals(List.of(), SchedulesApplyCommand.differences(s, s, watch.argument()));
    }
}
