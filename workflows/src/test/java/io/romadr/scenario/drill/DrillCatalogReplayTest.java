package io.romadr.scenario.drill;

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
 * Replays recorded histories of {@link DrillCatalogWorkflowImpl} ({@code drills-catalog-*}, written by
 * {@link DrillCatalogWorkflowTest}). If this fails, the change would break listings in flight: put it behind
 * {@code Workflow.getVersion}.
 */
class DrillCatalogReplayTest {

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith("drills-catalog-")).sorted().toList();
        }
        if (files.size() < 3) {
            throw new AssertionError("expected recorded drills-catalog-* histories in " + dir + ", found "
                    + files.size());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> WorkflowReplayer.replayWorkflowExecution(f.toFile(), DrillCatalogWorkflowImpl.class)));
    }
}
