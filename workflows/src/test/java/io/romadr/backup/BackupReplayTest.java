package io.romadr.backup;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays recorded histories of the backup, restore, retention and listing workflows. If this fails, the change
 * would break runs in flight when a new worker is deployed: put it behind {@code Workflow.getVersion}.
 */
class BackupReplayTest {
    static final String EVENTS = "backup-events-";

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("backup-"))
                    .filter(f -> !f.getFileName().toString().startsWith(EVENTS)).sorted().toList();
        }
        if (files.size() < 5) {
            throw new AssertionError("expected recorded backup-* histories in " + dir + ", found " + files.size());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(f.toFile(), StateSnapshotWorkflowImpl.class,
                        ArtifactBackupWorkflowImpl.class, SecretsBackupWorkflowImpl.class,
                        BackupRestoreWorkflowImpl.class, RetentionWorkflowImpl.class,
                        BackupCatalogWorkflowImpl.class, BackupVerificationWorkflowImpl.class,
                        GitMirrorWorkflowImpl.class, ImageMirrorWorkflowImpl.class,
                        BackupAccessAuditWorkflowImpl.class, LogShippingWorkflowImpl.class)));
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedEventsHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith(EVENTS)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("expected recorded " + EVENTS + "* histories in " + dir);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                // The children's ids are derived from the events workflow's: replay under the recorded one.
                () -> WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(
                        Files.readString(f), BackupEventsWorkflowTest.ID), BackupEventsWorkflowImpl.class)));
    }
}
