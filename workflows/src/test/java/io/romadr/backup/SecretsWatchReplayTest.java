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
 * Replays recorded histories of {@link SecretsWatchWorkflowImpl} (written by {@link SecretsWatchWorkflowTest}). If
 * this fails, the change would break watches in flight: put it behind {@code Workflow.getVersion}.
 */
class SecretsWatchReplayTest {
    static final String PREFIX = "secrets-watch-";

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
        if (files.size() < 2) {
            throw new AssertionError("expected recorded " + PREFIX + "* histories in " + dir + ", found "
                    + files.size());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String test = f.getFileName().toString().substring(PREFIX.length()).replace(".json", "");
            // The exports' child ids are derived from the watch's: replay under the recorded one.
            WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(f),
                    "wf-" + test), SecretsWatchWorkflowImpl.class);
        }));
    }
}
