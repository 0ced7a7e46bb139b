package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.report.Outcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The image mirror workflow's logic with mocked activities (the registry activities run on real registries). */
class ImageMirrorWorkflowTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ImageMirrorWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ImageMirrorActivities images = mock(ImageMirrorActivities.class, withSettings().withoutAnnotations());
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private ImageMirrorWorkflow start(TestWorkflowEnvironment testEnv, Worker worker) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(BackupFixtures.plan(true));
        when(images.applyImageRetention(any())).thenAnswer(inv -> new ImageRetentionResult(
                ((ImageRetentionRequest) inv.getArgument(0)).repository(), List.of("20260101-000000"), List.of(), 1));
        worker.registerActivitiesImplementations(plans, images, lags);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(ImageMirrorWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    private static ImageMirrorResult copied(ImageMirrorRequest r) {
        return new ImageMirrorResult(r.repository(), List.of(new ImageMirrorResult.ImageTagCopy("latest",
                "sha256:" + "c".repeat(64), 3, 1, 4096, "")), List.of(r.timestampTag(), "1.0.0"), "");
    }

    @Test
    void everyRepositoryIsMirroredTaggedAndPruned(TestWorkflowEnvironment testEnv, Worker worker) {
        when(images.mirrorRepository(any())).thenAnswer(inv -> copied(inv.getArgument(0)));
        long start = testEnv.currentTimeMillis();
        ImageMirrorReport r = start(testEnv, worker).mirror(new BackupRequest("roma", "junit"));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "images-" + testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(List.of("roma-builder", "roma-web"),
                r.repositories().stream().map(ImageMirrorResult::repository).toList());
        // The good run is kept as one images-runs sample: the intervals images are measured by without events.
        org.mockito.ArgumentCaptor<RecordLagRequest> recorded = org.mockito.ArgumentCaptor.forClass(
                RecordLagRequest.class);
        org.mockito.Mockito.verify(lags).recordLag(recorded.capture());
        assertEquals(LagHistory.IMAGE_RUNS, recorded.getValue().kind());
        assertEquals(List.of("wf-" + testName), recorded.getValue().samples().stream().map(LagSample::workflowId)
                .toList());
        assertEquals("schedule", recorded.getValue().samples().get(0).source());
        // The seed's $(date +%Y%m%d-%H%M%S), in UTC, taken from workflow time.
        assertTrue(r.timestampTag().matches("\\d{8}-\\d{6}"), r.timestampTag());
        String expected = ImageMirrorWorkflowImpl.TIMESTAMP.format(Instant.ofEpochMilli(start));
        assertEquals(expected.substring(0, 8), r.timestampTag().substring(0, 8));
        verify(images).mirrorRepository(argThat(m -> m.repository().equals("roma-web")
                && m.timestampTag().equals(r.timestampTag()) && m.images().release().equals("1.0.0")));
        assertEquals(2, r.retention().size());
        assertTrue(r.summary().contains("6 blob(s) sent"), r.summary());
    }

    @Test
    void aFailingRepositoryDoesNotStopTheOthersAndFailsTheRun(TestWorkflowEnvironment testEnv, Worker worker) {
        when(images.mirrorRepository(argThat(m -> m != null && m.repository().equals("roma-builder"))))
                .thenThrow(new IllegalStateException("backup registry http://127.0.0.1:5001 unreachable"));
        when(images.mirrorRepository(argThat(m -> m != null && m.repository().equals("roma-web"))))
                .thenAnswer(inv -> copied(inv.getArgument(0)));
        ImageMirrorWorkflow wf = start(testEnv, worker);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.mirror(new BackupRequest("roma", "junit")));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "images-" + testName);
        ImageMirrorReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(ImageMirrorReport.class);
        assertFalse(r.repositories().get(0).ok());
        assertTrue(r.repositories().get(1).ok());
        assertTrue(r.summary().contains("roma-builder: mirror-roma-builder: backup registry"), r.summary());
        verify(images, never()).applyImageRetention(argThat(x -> x != null && x.repository().equals("roma-builder")));
        verify(images).applyImageRetention(argThat(x -> x != null && x.repository().equals("roma-web")));
    }

    @Test
    void aRunFromRegistryEventsMirrorsThePushedTagsOfTheirRepositoriesOnly(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(images.mirrorRepository(any())).thenAnswer(inv -> copied(inv.getArgument(0)));
        ImageMirrorReport r = start(testEnv, worker).mirror(new BackupRequest("roma", "events (3: registry)",
                List.of("roma-web:1.4.0", "roma-web:latest", "roma-web:1.4.0", "other:1.0", "roma-web:bad tag")));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "images-" + testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        // roma-builder had no push: it waits for the scheduled run
        assertEquals(List.of("roma-web"), r.repositories().stream().map(ImageMirrorResult::repository).toList());
        verify(images).mirrorRepository(argThat(m -> m.repository().equals("roma-web")
                && m.pushedTags().equals(List.of("1.4.0", "latest"))
                && m.timestampTag().equals(r.timestampTag())));
        verify(images, never()).mirrorRepository(argThat(m -> m != null && m.repository().equals("roma-builder")));
        verify(images).applyImageRetention(argThat(x -> x != null && x.repository().equals("roma-web")));
        assertTrue(r.summary().contains("2 pushed tag(s) in 1 of 2 repositories (the others wait for the schedule)"),
                r.summary());
        assertTrue(r.summary().contains("ignored, not a repository:tag of the plan: other:1.0, roma-web:bad tag"),
                r.summary());
    }
}
