package io.romadr.gitrecovery;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Replays recorded Scenario 4 histories: a change that breaks them must go behind {@code Workflow.getVersion}. */
class GitRecoveryReplayTest {

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("git-recovery-")).sorted().toList();
        }
        if (files.size() < 3) {
            throw new AssertionError("expected recorded git-recovery-* histories in " + dir + ", found " + files.size());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(f.toFile(), GitRecoveryWorkflowImpl.class)));
    }
}
