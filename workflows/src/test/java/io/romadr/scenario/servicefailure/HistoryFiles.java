package io.romadr.scenario.servicefailure;

import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Every unit test run writes its workflow history to {@code target/histories/}. To pin a new history for the
 * replay test, copy one into {@code src/test/resources/histories/}: that is how a change that would break
 * recoveries in flight gets caught.
 */
public final class HistoryFiles {
    private HistoryFiles() {
    }

    public static void write(WorkflowExecutionHistory history, String name) {
        try {
            Path dir = Path.of("target", "histories");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".json"), history.toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
