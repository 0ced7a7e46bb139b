package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.RunFailure;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DrillCatalogWorkflowImpl} with a fake report store (the real one: the activities' DrillReportStoreIT). */
class DrillCatalogWorkflowTest {
    static final BackupStore STORE = new BackupStore("file:///var/backups/roma-dr", null, null, null);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DrillCatalogWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final FakeReports reports = new FakeReports();
    private String testName = "unnamed";

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    /** Lists what it was given, or fails every call when {@code failure} is set. */
    static final class FakeReports implements DrillActivities {
        final List<ListDrillReportsRequest> asked = new ArrayList<>();
        DrillCatalog catalog;
        String failure;

        @Override
        public DrillCatalog listReports(ListDrillReportsRequest request) {
            asked.add(request);
            if (failure != null) {
                throw ApplicationFailure.newFailure(failure, "DrillReportStoreIO");
            }
            return catalog;
        }

        @Override
        public StoredDrillReport storeReport(StoreDrillReportRequest request) {
            throw new IllegalStateException("the catalog only reads");
        }

        @Override
        public DrillState documentState(DocumentStateRequest request) {
            throw new IllegalStateException("the catalog only reads");
        }

        @Override
        public FaultResult injectFault(FaultRequest request) {
            throw new IllegalStateException("the catalog only reads");
        }

        @Override
        public DrillVerification verifyRecovered(VerifyRecoveredRequest request) {
            throw new IllegalStateException("the catalog only reads");
        }
    }

    static RecoveryPlan plan(boolean withStore) {
        ServiceSpec service = new ServiceSpec("roma",
                List.of(new ServiceContainer("roma", new ContainerTemplate("roma:1", null, null, null, null, null,
                        null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        return new RecoveryPlan("roma", "test", service, new RtoTargets(Duration.ofMinutes(15), null, null, null,
                null), null, null,
                withStore
                        ? new BackupSpec(STORE, null, null, null, null, null, null, null, null)
                        : null,
                null, null, null, null);
    }

    static StoredDrillReport stored(String id, long startedAt, boolean success) {
        String prefix = "drills/roma/2026-12-01-service-failure-" + id;
        return new StoredDrillReport("roma", "service-failure", id, "2026-12-01", startedAt, success, 900_000L,
                success ? 252_000L : null, success, "file:///var/backups/roma-dr/" + prefix + ".html", prefix);
    }

    private DrillCatalog list(TestWorkflowEnvironment testEnv, Worker worker, String plan) {
        worker.registerActivitiesImplementations(plans, reports);
        testEnv.start();
        String id = "drills-catalog-" + testName;
        DrillCatalogWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(DrillCatalogWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId(id).build());
        try {
            return wf.list(new DrillCatalogRequest(plan));
        } finally {
            HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(id), "drills-catalog-" + testName);
        }
    }

    @Test
    void thePlansStoreIsListedAndItsCatalogReturnedAsItIs(TestWorkflowEnvironment testEnv, Worker worker) {
        when(plans.loadPlan("roma")).thenReturn(plan(true));
        reports.catalog = new DrillCatalog("roma", "file:///var/backups/roma-dr/",
                List.of(stored("drill-a", 1_000, true), stored("drill-b", 2_000, false)),
                "skipped 1 report(s): drills/roma/x.json: not a drill report");

        DrillCatalog catalog = list(testEnv, worker, "roma");

        assertEquals(List.of(new ListDrillReportsRequest(STORE, "roma")), reports.asked);
        assertEquals(reports.catalog, catalog);
    }

    @Test
    void aPlanWithoutABackupStoreIsACatalogWithItsProblem(TestWorkflowEnvironment testEnv, Worker worker) {
        when(plans.loadPlan("roma")).thenReturn(plan(false));

        DrillCatalog catalog = list(testEnv, worker, "roma");

        assertEquals(new DrillCatalog("roma", "", List.of(), "plan roma has no backup store"), catalog);
        assertEquals(List.of(), reports.asked);
    }

    @Test
    void aStoreThatCannotBeReadIsACatalogWithItsProblemAfterTheRetries(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(plans.loadPlan("roma")).thenReturn(plan(true));
        reports.failure = "connection refused";

        DrillCatalog catalog = list(testEnv, worker, "roma");

        assertEquals(DrillCatalogWorkflowImpl.ATTEMPTS, reports.asked.size());
        assertEquals(List.of(), catalog.reports());
        assertEquals(STORE.uri(), catalog.store());
        assertTrue(catalog.problem().startsWith("the store could not be read: ")
                && catalog.problem().contains("connection refused"), catalog.problem());
    }

    @Test
    void aPlanThatDoesNotLoadFailsTheRun(TestWorkflowEnvironment testEnv, Worker worker) {
        when(plans.loadPlan("nope")).thenThrow(ApplicationFailure.newNonRetryableFailure("no plan \"nope\"",
                "PlanNotFound"));

        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> list(testEnv, worker,
                "nope"));

        ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(RunFailure.LIST_FAILED, failure.getType());
        assertTrue(failure.getOriginalMessage().contains("no plan \"nope\""), failure.getOriginalMessage());
        DrillCatalog carried = RunFailure.reportOf(e, DrillCatalog.class);
        assertEquals("nope", carried.plan());
        assertEquals(List.of(), carried.reports());
        assertTrue(carried.problem().contains("no plan \"nope\""), carried.problem());
        assertEquals(List.of(), reports.asked);
    }
}
