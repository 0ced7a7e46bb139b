package io.romadr;

import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflowImpl;
import io.romadr.scenario.gitloss.GitRecoveryWorkflowImpl;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflowImpl;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the recorded histories of Scenarios 2 and 4 (file name prefix -> workflow). A change that breaks one would
 * break runs in flight when a new worker is deployed: put it behind {@code Workflow.getVersion}.
 */
class ScenarioReplayTest {
    private static final Map<String, Class<?>> WORKFLOWS = Map.of(
            "git-recovery-", GitRecoveryWorkflowImpl.class,
            "data-recovery-", DataCorruptionRecoveryWorkflowImpl.class,
            "site-recovery-", SiteRecoveryWorkflowImpl.class);

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (Map.Entry<String, Class<?>> w : WORKFLOWS.entrySet()) {
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(f -> f.getFileName().toString().startsWith(w.getKey())).sorted().toList();
            }
            if (files.size() < 3) {
                throw new AssertionError("expected recorded " + w.getKey() + "* histories in " + dir + ", found "
                        + files.size());
            }
            for (Path f : files) {
                tests.add(DynamicTest.dynamicTest(f.getFileName().toString(),
                        () -> WorkflowReplayer.replayWorkflowExecution(f.toFile(), w.getValue())));
            }
        }
        return tests.stream();
    }
}
