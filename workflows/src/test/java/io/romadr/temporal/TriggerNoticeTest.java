package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflowImpl;
import io.romadr.scenario.datacorruption.DataRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryReport;
import io.romadr.scenario.security.SecurityIncidentReport;
import io.romadr.scenario.security.SecurityIncidentWorkflowImpl;
import io.romadr.scenario.gitloss.GitRecoveryWorkflowImpl;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepRecord;
import io.romadr.report.TriggerNotice;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every scenario workflow takes the trigger notice {@link RecoveryStarter} sends and records it the same way: a
 * timeline step {@code trigger-<status>} with {@link TriggerNotice#line()}, also in the report of a run that failed.
 */
class TriggerNoticeTest {
    static final String QUEUE = "trigger-notice-test";

    TestWorkflowEnvironment env;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        for (String name : List.of("RomaScenario", "RomaPlan", "RomaOutcome")) {
            env.registerSearchAttribute(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        env.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        var worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class,
                DataCorruptionRecoveryWorkflowImpl.class, GitRecoveryWorkflowImpl.class,
                SiteRecoveryWorkflowImpl.class, SecurityIncidentWorkflowImpl.class);
        worker.registerActivitiesImplementations((PlanActivities) name -> {
            throw ApplicationFailure.newNonRetryableFailure("no plan \"" + name + "\"", "PlanNotFound");
        });
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void everyScenarioRecordsTheNoticeInItsTimeline() {
        Map<String, Function<Object, List<StepRecord>>> timelines = Map.of(
                "service-failure", r -> ((ServiceRecoveryReport) r).timeline(),
                "data-corruption", r -> ((DataRecoveryReport) r).timeline(),
                "git-loss", r -> ((GitRecoveryReport) r).timeline(),
                "site-loss", r -> ((SiteRecoveryReport) r).steps(),
                "security-incident", r -> ((SecurityIncidentReport) r).timeline());
        Map<String, Class<?>> reports = Map.of("service-failure", ServiceRecoveryReport.class,
                "data-corruption", DataRecoveryReport.class, "git-loss", GitRecoveryReport.class,
                "site-loss", SiteRecoveryReport.class, "security-incident", SecurityIncidentReport.class);
        TriggerNotice notice = new TriggerNotice("alertmanager", "alertmanager", "alerts ab12,cd34", "firing",
                "2026-11-26T10:00:00Z", "RomaDown: ROMA is down (and 1 more alert(s))");
        for (String scenario : RecoveryStarter.SCENARIOS.keySet()) {
            WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(RecoveryStarter.type(scenario),
                    WorkflowOptions.newBuilder().setTaskQueue(QUEUE)
                            .setWorkflowId(RecoveryStarter.workflowId(scenario, "gone")).build());
            // Signal-with-start: the notice is there before the workflow's first step, whatever it does next.
            stub.signalWithStart(RecoveryStarter.TRIGGER_SIGNAL, new Object[]{notice},
                    new Object[]{RecoveryStarter.request(scenario, "gone", "test", "why")});
            Object report = result(stub, reports.get(scenario));
            List<StepRecord> triggers = timelines.get(scenario).apply(report).stream()
                    .filter(s -> s.step().startsWith("trigger-")).toList();
            assertEquals(1, triggers.size(), scenario + ": " + triggers);
            assertEquals("trigger-firing", triggers.get(0).step(), scenario);
            assertEquals("alertmanager alerts ab12,cd34 at 2026-11-26T10:00:00Z: RomaDown: ROMA is down (and 1 more"
                    + " alert(s))", triggers.get(0).detail(), scenario);
        }
    }

    @Test
    void aNoticeLineIsBoundedAndNamesWhoAsked() {
        TriggerNotice cli = new TriggerNotice("cli", "cli:alice", "", "", "", "x".repeat(2000));
        assertEquals("trigger-requested", cli.step());
        assertTrue(cli.line().startsWith("cli (by cli:alice): xxx"), cli.line());
        assertTrue(cli.line().length() <= TriggerNotice.MAX_LINE + 3, cli.line());
    }

    /** The report: the result of a completed run, or the one a failed run carries in its failure. */
    private static <T> T result(WorkflowStub stub, Class<T> type) {
        try {
            return stub.getResult(type);
        } catch (WorkflowFailedException e) {
            return ((ApplicationFailure) e.getCause()).getDetails().get(type);
        }
    }
}
