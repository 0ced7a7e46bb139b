package io.romadr.scenario.drill;

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
 * Replays recorded histories of {@link DrillWorkflowImpl} (written by {@link DrillWorkflowTest} and
 * {@link DrillScenariosTest}) and of {@link DrillNoticeWorkflowImpl} ({@link DrillNoticeWorkflowTest}). If this fails, the
 * change would break drills in flight (one waits up to a day for its sign-offs): put it behind
 * {@code Workflow.getVersion}.
 */
class DrillReplayTest {

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("drill-")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("no recorded drill histories in " + dir);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(
                        // The child's id is derived from the drill's: replay under the recorded one.
                        WorkflowExecutionHistory.fromJson(Files.readString(f), DrillWorkflowTest.WORKFLOW_ID),
                        DrillWorkflowImpl.class)));
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedNoticeHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("drillnotice-")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("no recorded drill notice histories in " + dir);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(f),
                        DrillNoticeWorkflowTest.WORKFLOW_ID), DrillNoticeWorkflowImpl.class)));
    }
}
