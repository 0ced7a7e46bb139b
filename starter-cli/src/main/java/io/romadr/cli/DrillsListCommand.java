package io.romadr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.romadr.plan.CronExpression;
import io.romadr.plan.DrillCalendarEntry;
import io.romadr.plan.NotifyNames;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.runtime.RomaSearchAttributes;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillCatalogRequest;
import io.romadr.scenario.drill.DrillCatalogWorkflow;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.StoredDrillReport;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleException;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = {
                "The seed's \"Last Tested / Next Test\" for a plan: per drill type its calendar, the last drill "
                        + "(from the drill reports in the plan's backup store, read by the worker; from Temporal's "
                        + "visibility for a drill newer than its stored report, or a plan without a store) with its "
                        + "result, RTO actual vs target, sign-off and where its report is, a drill running now, the "
                        + "next scheduled run (from its Schedule) and OVERDUE when that is in the past or no drill "
                        + "ran within the calendar's period.",
                "Exits 0; --format json for scripts (\"overdue\": true)."})
final class DrillsListCommand extends TemporalCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);
    /** The most drills read from visibility: years of a monthly calendar, a bound on a server with many. */
    private static final int MAX_RUNS = 1000;
    /** The seed's drill type names ("Recovery Drills Schedule"). */
    static final Map<String, String> NAMES = Map.of("service-failure", "Service restart (Scenario 1)",
            "data-corruption", "Backup restore (Scenario 2)", "site-loss", "Full disaster recovery (Scenario 3)",
            "git-loss", "Git recovery (Scenario 4)");

    @Mixin
    PlanOption planOption;

    @Option(names = "--plans", paramLabel = "DIR", defaultValue = "${env:ROMA_DR_PLANS:-deploy/plans}",
            description = "Directory of plans, as the workers have it (env ROMA_DR_PLANS; default ${DEFAULT-VALUE}).")
    Path plansDir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    String format;

    Clock clock = Clock.systemUTC();

    /** How long the worker may take to list the stored reports before the list is shown without them. */
    static final Duration CATALOG_TIMEOUT = Duration.ofMinutes(2);

    /**
     * One drill type's line.
     *
     * @param lastRun     the latest drill that ended: its workflow id, or null
     * @param result      "Success: Yes", "Success: No", "failed", "timed out", "terminated", "canceled"; null
     * @param signedOff   operator, observer and manager signed its report; null: unknown (no stored report)
     * @param report      where its stored report is (the HTML page's URI); null: not stored
     * @param running     a drill of this type running now, or null
     */
    record DrillLine(String scenario, String drill, String schedule, String lastRun, Instant lastRunStarted,
            Instant lastRunEnded, String result, Boolean success, Long rtoActualMillis, Long rtoTargetMillis,
            Boolean signedOff, String report, String running, Instant nextRun, boolean overdue, String status) {
    }

    /** A DrillWorkflow run found in visibility. */
    private record Run(String workflowId, String runId, WorkflowExecutionStatus status, Instant started,
            Instant ended) {
    }

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        if (!format.equals("text") && !format.equals("json")) {
            throw new CliException(ExitCodes.USAGE,
                    "Invalid value for option '--format': expected text or json, got \"" + format + "\"", null);
        }
        RecoveryPlan plan;
        try {
            plan = new PlanRepository(plansDir).load(planOption.plan);
        } catch (PlanException | PlanRepository.PlanNotFoundException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
        ScheduleClient schedules = ScheduleClient.newInstance(temporal.stubs(),
                ScheduleClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
        Map<String, List<Run>> runs = runsByScenario(temporal, plan.name());
        DrillCatalog catalog = catalog(temporal, plan);
        Instant now = clock.instant();
        List<DrillLine> lines = new ArrayList<>();
        for (String scenario : NotifyNames.DRILL_SCENARIOS) {
            StoredDrillReport stored = catalog.reports().stream().filter(r -> r.scenario().equals(scenario))
                    .max(Comparator.comparingLong(StoredDrillReport::startedAt)).orElse(null);
            lines.add(line(temporal, schedules, plan, scenario, runs.getOrDefault(scenario, List.of()), stored,
                    now));
        }
        if (!catalog.problem().isEmpty()) {
            // Beside JSON on stderr, so scripts still read one document.
            (format.equals("json") ? err() : out()).println("reports: " + catalog.problem());
        }
        if (format.equals("json")) {
            try {
                out().println(new ObjectMapper().findAndRegisterModules().enable(SerializationFeature.INDENT_OUTPUT)
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(lines));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CliException(ExitCodes.ERROR, "cannot render JSON: " + e.getOriginalMessage(), e);
            }
        } else {
            print(lines);
        }
        out().flush();
        return ExitCodes.RECOVERED;
    }

    /**
     * The plan's stored drill reports, listed by the worker ({@link DrillCatalogWorkflow}). A plan without a backup
     * store, or a list that fails or takes too long, is a catalog with its problem: the calendar still shows.
     */
    private DrillCatalog catalog(TemporalOptions.Connection temporal, RecoveryPlan plan) {
        if (plan.backup() == null) {
            return new DrillCatalog(plan.name(), "", null, "not stored: plan " + plan.name()
                    + " has no backup store (last runs from Temporal's visibility only)");
        }
        return storedReports(temporal, plan.name(), clock);
    }

    /** The plan's stored drill reports as the worker lists them; a list that fails is a catalog with why. */
    static DrillCatalog storedReports(TemporalOptions.Connection temporal, String plan, Clock clock) {
        String id = WorkflowRun.defaultId("drills-list", plan, clock) + "-" + Long.toHexString(System.nanoTime());
        DrillCatalogWorkflow workflow = temporal.client().newWorkflowStub(DrillCatalogWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(temporal.taskQueue())
                        .setWorkflowExecutionTimeout(CATALOG_TIMEOUT).build());
        try {
            return workflow.list(new DrillCatalogRequest(plan));
        } catch (WorkflowException e) {
            return new DrillCatalog(plan, "", null, "not read (" + id + "): " + WorkflowRun.rootMessage(e));
        }
    }

    private DrillLine line(TemporalOptions.Connection temporal, ScheduleClient schedules, RecoveryPlan plan,
            String scenario, List<Run> runs, StoredDrillReport stored, Instant now) {
        DrillCalendarEntry entry = plan.drills().byScenario().get(scenario);
        ScheduleDescription schedule = null;
        try {
            schedule = schedules.getHandle(DrillSchedules.id(scenario, plan.name())).describe();
        } catch (ScheduleException | StatusRuntimeException none) {
            // No Schedule (not applied, or a server without schedules): "next" is unknown.
        }
        Instant next = schedule == null || schedule.getInfo().getNextActionTimes().isEmpty()
                ? null
                : schedule.getInfo().getNextActionTimes().get(0);
        Run last = runs.stream().filter(r -> r.ended() != null)
                .max((a, b) -> a.started().compareTo(b.started())).orElse(null);
        Run running = runs.stream().filter(r -> r.ended() == null)
                .max((a, b) -> a.started().compareTo(b.started())).orElse(null);
        Instant storedStart = stored == null ? null : Instant.ofEpochMilli(stored.startedAt());
        Instant lastStart = Stream.concat(runs.stream().map(Run::started), Stream.ofNullable(storedStart))
                .max(Instant::compareTo).orElse(null);
        // The stored report is the last drill unless visibility knows a later one that ended (not stored yet).
        boolean fromReport = stored != null && (last == null || last.workflowId().equals(stored.drillId())
                || !last.started().isAfter(storedStart));
        Duration period = entry == null
                ? null
                : CronExpression.parse(entry.schedule()).period(now.atZone(ZoneId.of(entry.timeZone())));
        DrillCalendarStatus status = schedule != null && entry != null && schedule.getSchedule().getState() != null
                && schedule.getSchedule().getState().isPaused()
                        ? new DrillCalendarStatus(true, "OVERDUE: the Schedule is paused")
                        : DrillCalendarStatus.of(now, period, next,
                                schedule == null ? null : schedule.getInfo().getCreatedAt(), lastStart);
        String result = null;
        Boolean success = null;
        Long actual = null;
        Long target = entry != null && entry.rtoTarget() != null
                ? Long.valueOf(entry.rtoTarget().toMillis())
                : planRto(plan, scenario);
        if (fromReport) {
            Run same = runs.stream().filter(r -> r.workflowId().equals(stored.drillId())).findFirst().orElse(null);
            return new DrillLine(scenario, NAMES.get(scenario), schedule(entry), stored.drillId(), storedStart,
                    same == null ? null : same.ended(), "Success: " + (stored.success() ? "Yes" : "No"),
                    stored.success(), stored.rtoActualMillis(), stored.rtoTargetMillis() > 0
                            ? stored.rtoTargetMillis()
                            : target,
                    stored.signedOff(), stored.location(), running == null ? null : running.workflowId(), next,
                    status.overdue(), status.text());
        }
        if (last != null) {
            result = last.status().name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(Locale.ROOT)
                    .replace('_', ' ');
            if (last.status() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
                DrillReport report = report(temporal, last);
                if (report != null) {
                    success = report.success();
                    result = "Success: " + (Boolean.TRUE.equals(success) ? "Yes" : "No");
                    actual = report.rtoActualMillis();
                    target = report.rtoTargetMillis() > 0 ? report.rtoTargetMillis() : target;
                }
            }
        }
        return new DrillLine(scenario, NAMES.get(scenario), schedule(entry),
                last == null ? null : last.workflowId(), last == null ? null : last.started(),
                last == null ? null : last.ended(), result, success, actual, target, null, null,
                running == null ? null : running.workflowId(), next, status.overdue(), status.text());
    }

    private static String schedule(DrillCalendarEntry entry) {
        return entry == null ? null : entry.schedule() + " " + entry.timeZone();
    }

    /** The scenario's RTO in the plan, the drill's target when its calendar entry sets none; null if unknown. */
    private static Long planRto(RecoveryPlan plan, String scenario) {
        Duration rto = switch (scenario) {
            case "service-failure" -> plan.rto().service();
            case "data-corruption" -> plan.rto().artifacts();
            case "site-loss" -> plan.rto().siteLoss();
            default -> plan.backup() == null || plan.backup().git() == null
                    ? null
                    : plan.backup().git().recovery().rto();
        };
        return rto == null ? null : rto.toMillis();
    }

    /** The completed drill's report, its workflow's result; null when it cannot be read. */
    private static DrillReport report(TemporalOptions.Connection temporal, Run run) {
        try {
            return temporal.client().newUntypedWorkflowStub(run.workflowId(), Optional.of(run.runId()),
                    Optional.of(DrillWorkflow.TYPE)).getResult(10, TimeUnit.SECONDS, DrillReport.class);
        } catch (Exception unreadable) {
            return null;
        }
    }

    /**
     * The plan's DrillWorkflow runs per scenario: a run belongs to a plan and scenario by its id (the Schedules'
     * {@code drill-<scenario>-<plan>-...}) or by the search attributes RomaPlan and RomaScenario. Empty where the
     * server cannot list workflows (the in-process test server).
     */
    private Map<String, List<Run>> runsByScenario(TemporalOptions.Connection temporal, String plan) {
        Map<String, List<Run>> byScenario = new HashMap<>();
        String query = "WorkflowType = '" + DrillWorkflow.TYPE + "'";
        ByteString page = ByteString.EMPTY;
        int seen = 0;
        try {
            do {
                ListWorkflowExecutionsResponse response = temporal.stubs().blockingStub()
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                                .setNamespace(temporal.namespace()).setQuery(query).setPageSize(200)
                                .setNextPageToken(page).build());
                for (WorkflowExecutionInfo info : response.getExecutionsList()) {
                    String scenario = scenarioOf(info, plan);
                    if (scenario != null) {
                        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(run(info));
                    }
                }
                seen += response.getExecutionsCount();
                page = response.getNextPageToken();
            } while (!page.isEmpty() && seen < MAX_RUNS);
        } catch (StatusRuntimeException e) {
            err().println("roma-dr: this server cannot list workflows (" + e.getStatus().getCode()
                    + "); last runs are not shown");
        }
        return byScenario;
    }

    private static Run run(WorkflowExecutionInfo info) {
        return new Run(info.getExecution().getWorkflowId(), info.getExecution().getRunId(), info.getStatus(),
                instant(info.getStartTime()), info.hasCloseTime() ? instant(info.getCloseTime()) : null);
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** The scenario of a drill of {@code plan}, or null when the run drills another plan. */
    static String scenarioOf(WorkflowExecutionInfo info, String plan) {
        String id = info.getExecution().getWorkflowId();
        for (String scenario : NotifyNames.DRILL_SCENARIOS) {
            if (id.startsWith(DrillSchedules.workflowIdPrefix(scenario, plan) + "-")) {
                return scenario;
            }
        }
        Map<String, Payload> attributes = info.getSearchAttributes().getIndexedFieldsMap();
        String runPlan = keyword(attributes.get(RomaSearchAttributes.PLAN.getName()));
        String runScenario = keyword(attributes.get(RomaSearchAttributes.SCENARIO.getName()));
        return plan.equals(runPlan) && NotifyNames.DRILL_SCENARIOS.contains(runScenario) ? runScenario : null;
    }

    private static String keyword(Payload payload) {
        if (payload == null) {
            return null;
        }
        try {
            return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
        } catch (RuntimeException notAKeyword) {
            return null;
        }
    }

    private void print(List<DrillLine> lines) {
        String format = "%-36s %-24s %-16s %-12s %-17s %-10s %-16s %s%n";
        out().printf(format, "DRILL", "SCHEDULE", "LAST RUN (UTC)", "RESULT", "RTO ACTUAL/TARGET", "SIGNED OFF",
                "NEXT RUN (UTC)", "STATUS");
        for (DrillLine l : lines) {
            out().printf(format, l.drill(), l.schedule() == null ? "-" : l.schedule(),
                    l.lastRunStarted() == null ? "never" : TIME.format(l.lastRunStarted()),
                    l.result() == null ? "-" : l.result(), rto(l.rtoActualMillis()) + " / " + rto(l.rtoTargetMillis()),
                    l.signedOff() == null ? "-" : l.signedOff() ? "yes" : "NO",
                    l.nextRun() == null ? "-" : TIME.format(l.nextRun()),
                    l.status() + (l.running() == null ? "" : "; running: " + l.running()));
        }
        for (DrillLine l : lines) {
            if (l.lastRun() != null) {
                out().println(l.scenario() + ": last drill " + l.lastRun() + (l.report() == null
                        ? " (not stored; roma-dr report " + l.lastRun() + ")"
                        : ", report " + l.report()));
            }
        }
    }

    private static String rto(Long millis) {
        if (millis == null) {
            return "-";
        }
        Duration d = Duration.ofMillis(millis);
        return d.toHours() > 0
                ? d.toHours() + "h" + (d.toMinutesPart() > 0 ? d.toMinutesPart() + "m" : "")
                : d.toMinutes() > 0
                        ? d.toMinutes() + "m" + (d.toSecondsPart() > 0 ? d.toSecondsPart() + "s" : "")
                        : d.toSeconds() + "s";
    }
}
