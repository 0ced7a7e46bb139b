package io.romadr.scenario.servicefailure;

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
 * Replays recorded histories of {@link ServiceRecoveryWorkflowImpl}. If this fails, the change would break
 * recoveries that are in flight when a new worker is deployed: put the change behind {@code Workflow.getVersion}.
 */
class ServiceRecoveryReplayTest {

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("service-recovery-")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AssertionError("no recorded service-recovery histories in " + dir);
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(f.toFile(), ServiceRecoveryWorkflowImpl.class)));
    }
}
