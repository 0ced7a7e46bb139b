package io.romadr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.datacorruption.DataRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.temporal.RomaWorkflows;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import io.romadr.scenario.security.SecurityIncidentReport;
import io.romadr.scenario.security.SecurityIncidentWorkflow;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioReportTest {
    private static final long START = 1_790_000_000_000L;

    @Test
    void theRegistryKnowsEachScenarioWorkflowsReportAndProgressTypes() {
        assertEquals(Map.of(ServiceRecoveryWorkflow.TYPE, ServiceRecoveryReport.class,
                DataCorruptionRecoveryWorkflow.TYPE, DataRecoveryReport.class,
                GitRecoveryWorkflow.TYPE, GitRecoveryReport.class,
                SiteRecoveryWorkflow.TYPE, SiteRecoveryReport.class,
                SecurityIncidentWorkflow.TYPE, SecurityIncidentReport.class), RomaWorkflows.REPORTS);
        assertEquals(Progress.class, RomaWorkflows.PROGRESS.get(ServiceRecoveryWorkflow.TYPE));
        assertEquals(SiteRecoveryReport.class, RomaWorkflows.PROGRESS.get(SiteRecoveryWorkflow.TYPE));
        assertEquals(5, RomaWorkflows.PROGRESS.size());
    }

    /** The contract adds methods only: the JSON of every report (histories, CLI output) is its own fields. */
    @Test
    void everyReportsJsonIsExactlyItsRecordFields() throws Exception {
        ObjectMapper temporal = JacksonJsonPayloadConverter.newDefaultObjectMapper();
        for (Class<?> type : List.of(ServiceRecoveryReport.class, Progress.class, DataRecoveryReport.class,
                GitRecoveryReport.class, SiteRecoveryReport.class)) {
            Object report = empty(type);
            Set<String> components = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toSet());
            for (ObjectMapper mapper : List.of(temporal, new ObjectMapper())) {
                JsonNode json = mapper.valueToTree(report);
                Set<String> fields = new HashSet<>();
                json.fieldNames().forEachRemaining(fields::add);
                assertEquals(components, fields, type.getSimpleName());
            }
        }
    }

    @Test
    void anAfterTheFactScenarioIsBreachedWhenItTookLongerThanItsRto() {
        DataRecoveryReport late = data(Outcome.RECOVERED, 20 * 60_000);
        assertTrue(late.rtoBreached());
        assertFalse(late.recoveredWithinRto());
        assertEquals(20 * 60_000L, late.rtoActualMillis());
        assertEquals(START + 15 * 60_000, late.rtoBreachedAt());
        String md = ReportFormatter.markdown(late);
        assertTrue(md.startsWith("## Recovery report: data-corruption / plan roma\n"), md);
        assertTrue(md.lines().toList().containsAll(List.of("- **RTO Target:** 15:00",
                "- **RTO Actual:** 20:00  (RTO BREACHED at +15:00)", "- **Total time:** 20:00",
                "- **Started:** 2026-09-21 14:13:20 UTC by cli:ops", "- **Reason:** drill")), md);

        DataRecoveryReport inTime = data(Outcome.RECOVERED, 5 * 60_000);
        assertTrue(inTime.recoveredWithinRto());
        assertNull(inTime.rtoBreachedAt());
        DataRecoveryReport failed = data(Outcome.FAILED, 5 * 60_000);
        assertNull(failed.rtoActualMillis());
        assertTrue(ReportFormatter.markdown(failed).contains("- **RTO Actual:** not restored\n"));
    }

    @Test
    void aProgressAnswerIsAReportOfTheRunSoFar() {
        Progress p = new Progress("service-failure", "roma", Outcome.RUNNING, "restart", 2, START, 900_000, false,
                START + 60_000, List.of(new StepRecord("restart", 2, START, 0, 1, StepOutcome.RUNNING, "")), null);
        assertEquals(60_000L, p.rtoActualMillis());
        assertEquals(840_000L, p.rtoRemainingMillis(START + 600_000));
        assertEquals("restart", p.currentStep());
        assertEquals(2, p.round());
        assertEquals(900_000L, p.rtoMillis());
    }

    @Test
    void theCurrentStepIsTheLastRunningOneElseTheLast() {
        List<StepRecord> steps = List.of(new StepRecord("a", 1, START, START + 1, 1, StepOutcome.OK, ""),
                new StepRecord("b", 1, START + 1, 0, 1, StepOutcome.RUNNING, ""),
                new StepRecord("c", 1, START + 2, START + 3, 1, StepOutcome.OK, ""));
        assertEquals("b", data(Outcome.RUNNING, 1, steps).currentStep());
        assertEquals("c", data(Outcome.RUNNING, 1, steps.subList(2, 3)).currentStep());
        assertEquals("", data(Outcome.RUNNING, 1, List.of()).currentStep());
    }

    private static DataRecoveryReport data(Outcome outcome, long took) {
        return data(outcome, took, List.of());
    }

    private static DataRecoveryReport data(Outcome outcome, long took, List<StepRecord> steps) {
        return new DataRecoveryReport("wf-1", "roma", "cli:ops", "drill", outcome, START, START + took, 15 * 60_000,
                86_400_000, null, null, List.of(), "", null, null, List.of(), null, steps, "done", null);
    }

    /** The record with every component empty (null, 0, false). */
    private static Object empty(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            args[i] = types[i] == long.class
                    ? 0L
                    : types[i] == int.class
                            ? 0
                            : types[i] == boolean.class
                                    ? false
                                    : null;
        }
        return canonical.newInstance(args);
    }
}
