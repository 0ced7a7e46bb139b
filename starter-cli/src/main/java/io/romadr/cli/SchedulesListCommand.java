package io.romadr.cli;

import io.romadr.temporal.RomaClientOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = "The roma-dr backup and drill schedules (of one plan with --plan): interval or calendar, next "
                + "run, last run and how it ended.")
final class SchedulesListCommand extends TemporalCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--plan", paramLabel = "NAME", description = "Only this plan's schedules.")
    String plan;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        ScheduleClient schedules = ScheduleClient.newInstance(temporal.stubs(),
                RomaClientOptions.schedules(temporal.client().getOptions()));
        String prefix = plan == null ? BackupSchedules.ID_PREFIX : BackupSchedules.id(plan, "");
        List<String> drills = plan == null ? List.of() : DrillSchedules.allIds(plan);
        List<String> ids = schedules.listSchedules().map(ScheduleListDescription::getScheduleId)
                .filter(id -> id.startsWith(prefix) || drills.contains(id)).sorted().toList();
        String format = "%-34s %-22s %-6s %-20s %-20s %s%n";
        out().printf(format, "SCHEDULE", "WORKFLOW", "WHEN", "NEXT RUN (UTC)", "LAST RUN (UTC)", "LAST OUTCOME");
        for (String id : ids) {
            ScheduleDescription d = schedules.getHandle(id).describe();
            String type = d.getSchedule().getAction() instanceof ScheduleActionStartWorkflow a
                    ? a.getWorkflowType()
                    : "?";
            List<ScheduleIntervalSpec> intervals = PlannedSchedule.orEmpty(d.getSchedule().getSpec().getIntervals());
            String every = intervals.isEmpty()
                    ? PlannedSchedule.when(d.getSchedule().getSpec())
                    : SchedulesApplyCommand.human(intervals.get(0).getEvery());
            List<Instant> next = d.getInfo().getNextActionTimes();
            List<ScheduleActionResult> recent = d.getInfo().getRecentActions();
            ScheduleActionResult last = recent.isEmpty() ? null : recent.get(recent.size() - 1);
            out().printf(format, id, type, every, next.isEmpty() ? "-" : TIME.format(next.get(0)),
                    last == null ? "-" : TIME.format(last.getStartedAt()),
                    last == null ? "-" : outcome(temporal, last.getAction()));
        }
        if (ids.isEmpty()) {
            out().println("(no roma-dr schedules" + (plan == null ? "" : " for plan " + plan)
                    + "; create them with: roma-dr schedules apply --plan NAME)");
        }
        out().flush();
        return ExitCodes.RECOVERED;
    }

    /** The status of the workflow a schedule started, e.g. COMPLETED, FAILED, RUNNING. */
    private static String outcome(TemporalOptions.Connection temporal, ScheduleActionExecution action) {
        if (!(action instanceof ScheduleActionExecutionStartWorkflow started)) {
            return "?";
        }
        try {
            WorkflowExecutionStatus status = temporal.stubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(temporal.namespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(started.getWorkflowId())
                                    .setRunId(started.getFirstExecutionRunId()))
                            .build())
                    .getWorkflowExecutionInfo().getStatus();
            return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT) + " ("
                    + started.getWorkflowId() + ")";
        } catch (RuntimeException e) {
            return "unknown (" + started.getWorkflowId() + ")";
        }
    }
}
