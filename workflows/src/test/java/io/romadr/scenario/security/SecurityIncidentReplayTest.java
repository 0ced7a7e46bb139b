package io.romadr.scenario.security;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
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
 * Replays the recorded histories of {@link SecurityIncidentWorkflowImpl} (written by
 * {@link SecurityIncidentWorkflowTest}). A change that breaks one would break incidents in flight: put it behind
 * {@code Workflow.getVersion}.
 */
class SecurityIncidentReplayTest {
    static final String PREFIX = "security-incident-";

    /**
     * The converter's first look at a record tree (the plan's above all) takes long on a loaded machine; done inside
     * a replayed workflow thread it trips the SDK's 1 s deadlock detector. Done here once, replay only reads.
     */
    private static void warmUp() {
        DataConverter converter = GlobalDataConverter.get();
        for (Object value : List.of(SecurityIncidentWorkflowTest.plan(true), new SecurityIncidentRequest("roma", "",
                "", List.of(), null, null, null),
                new IncidentAssessment(List.of(SecurityIncidentWorkflowTest.ROMA),
                        List.of()),
                new ContainResult(true, List.of()), new RotationInventory(List.of()),
                new KnownGoodImages("", List.of()))) {
            converter.fromPayload(converter.toPayload(value).orElseThrow(), value.getClass(), value.getClass());
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedHistoryReplays() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getResource("/histories").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.getFileName().toString().startsWith(PREFIX)).sorted().toList();
        }
        if (files.size() < 3) {
            throw new AssertionError("expected recorded " + PREFIX + "* histories in " + dir + ", found "
                    + files.size());
        }
        warmUp();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            String test = f.getFileName().toString().substring(PREFIX.length()).replace(".json", "");
            // The secrets backup's child id is derived from the incident's: replay under the recorded one.
            WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(Files.readString(f),
                    "wf-" + test), SecurityIncidentWorkflowImpl.class);
        }));
    }
}
