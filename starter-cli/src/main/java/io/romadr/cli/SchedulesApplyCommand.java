package io.romadr.cli;

import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TaskQueues;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleUpdate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply",
        description = {
                "Create or update the Temporal Schedules of a plan's backups (state, artifacts, secrets, retention) from "
                        + "its backup: section, and of its drills (one DrillWorkflow per scenario of its drills: "
                        + "calendar), read from the plans directory. Running it twice changes nothing. A backup or "
                        + "drill never runs twice at once for the same plan and kind (overlap: skip; the hourly secrets watch "
                        + "buffers one, so the next watch follows at once). Schedules of "
                        + "kinds and drills the plan no longer has are deleted.",
                "Prints one line per schedule: created, updated, unchanged or deleted."})
final class SchedulesApplyCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Option(names = "--plans", paramLabel = "DIR", defaultValue = "${env:ROMA_DR_PLANS:-deploy/plans}",
            description = "Directory of plans, as the workers have it (env ROMA_DR_PLANS; default ${DEFAULT-VALUE}).")
    Path plansDir;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        RecoveryPlan plan;
        try {
            plan = new PlanRepository(plansDir).load(planOption.plan);
        } catch (PlanException | PlanRepository.PlanNotFoundException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        if (plan.backup() == null && plan.drills().byScenario().isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "plan \"" + plan.name() + "\" has no backup: and no drills: "
                    + "section; nothing to schedule", null);
        }
        ScheduleClient schedules = ScheduleClient.newInstance(temporal.stubs(),
                RomaClientOptions.schedules(temporal.client().getOptions()));
        List<PlannedSchedule> desired = new ArrayList<>(BackupSchedules.of(plan));
        desired.addAll(DrillSchedules.of(plan));
        for (PlannedSchedule d : desired) {
            // Backups on the backups queue (a schedule made on the recovery queue before is moved: "updated (task
            // queue)"), drills on the recovery queue.
            Schedule schedule = schedule(d, TaskQueues.forWorkflow(temporal.taskQueue(), d.workflowType()));
            String outcome;
            String note = "";
            try {
                ScheduleDescription current = schedules.getHandle(d.id()).describe();
                List<String> changed = differences(current.getSchedule(), schedule, d.argument());
                if (changed.isEmpty()) {
                    outcome = "unchanged";
                } else {
                    schedules.getHandle(d.id()).update(input -> new ScheduleUpdate(schedule));
                    outcome = "updated";
                    note = " (" + String.join(", ", changed) + ")";
                }
            } catch (ScheduleException notFound) {
                schedules.createSchedule(d.id(), schedule, ScheduleOptions.newBuilder().build());
                outcome = "created";
            }
            out().printf("%-9s %-34s %-22s %s%s%n", outcome, d.id(), d.workflowType(),
                    PlannedSchedule.when(d.spec()), note);
        }
        Set<String> wanted = desired.stream().map(PlannedSchedule::id).collect(Collectors.toSet());
        String prefix = BackupSchedules.id(plan.name(), "");
        List<String> drillIds = DrillSchedules.allIds(plan.name());
        for (ScheduleListDescription s : schedules.listSchedules().toList()) {
            String id = s.getScheduleId();
            String kind = id.startsWith(prefix) ? id.substring(prefix.length()) : "";
            boolean ours = (!kind.isEmpty() && !kind.contains("-")) || drillIds.contains(id);
            if (ours && !wanted.contains(id)) {
                schedules.getHandle(id).delete();
                out().printf("%-9s %s%n", "deleted", id);
            }
        }
        out().flush();
        return ExitCodes.RECOVERED;
    }

    static Schedule schedule(PlannedSchedule d, String taskQueue) {
        return Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(d.workflowType())
                        .setArguments(d.argument())
                        .setOptions(WorkflowOptions.newBuilder().setWorkflowId(d.workflowIdPrefix())
                                .setTaskQueue(taskQueue).build())
                        .build())
                .setSpec(d.spec())
                .setPolicy(SchedulePolicy.newBuilder()
                        .setOverlap(d.overlap()).build())
                .build();
    }

    /**
     * What apply controls and differs between the server's schedule and the plan's: interval, calendar, workflow
     * type, task queue, workflow id, argument, overlap policy. Empty when they agree.
     */
    static List<String> differences(Schedule current, Schedule wanted, Object argument) {
        if (!(current.getAction() instanceof ScheduleActionStartWorkflow c)
                || !(wanted.getAction() instanceof ScheduleActionStartWorkflow w)) {
            return List.of("action");
        }
        List<String> diff = new java.util.ArrayList<>();
        if (!intervals(current).equals(intervals(wanted))) {
            diff.add("interval");
        }
        if (!calendars(current).equals(calendars(wanted))) {
            diff.add("calendar");
        }
        if (!Objects.equals(c.getWorkflowType(), w.getWorkflowType())) {
            diff.add("workflow type");
        }
        if (!Objects.equals(c.getOptions().getTaskQueue(), w.getOptions().getTaskQueue())) {
            diff.add("task queue");
        }
        if (!Objects.equals(c.getOptions().getWorkflowId(), w.getOptions().getWorkflowId())) {
            diff.add("workflow id");
        }
        Object currentArgument;
        try {
            currentArgument = c.getArguments().get(0, argument.getClass());
        } catch (RuntimeException unreadable) {
            currentArgument = null;
        }
        if (!Objects.equals(currentArgument, argument)) {
            diff.add("input");
        }
        if (current.getPolicy() == null
                || current.getPolicy().getOverlap() != wanted.getPolicy().getOverlap()) {
            diff.add("overlap policy");
        }
        return diff;
    }

    /** The intervals as "every/offset" in seconds; the server fills in a zero offset the plan leaves out. */
    private static List<String> intervals(Schedule s) {
        return PlannedSchedule.orEmpty(s.getSpec().getIntervals()).stream().map(i -> i.getEvery().toSeconds() + "/"
                + (i.getOffset() == null ? 0 : i.getOffset().toSeconds())).toList();
    }

    /** The calendars (with their time zone) as cron text, written the same whichever way the server stored them. */
    private static String calendars(Schedule s) {
        ScheduleSpec spec = ScheduleSpec.newBuilder(s.getSpec()).setIntervals(List.of()).setCronExpressions(List.of())
                .build();
        return PlannedSchedule.orEmpty(spec.getCalendars()).isEmpty() ? "" : PlannedSchedule.when(spec);
    }

    static String human(java.time.Duration d) {
        if (d.toDays() > 0 && d.equals(java.time.Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(java.time.Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
