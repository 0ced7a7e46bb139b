package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The worker's concurrency: defaults, what is refused and how it is named, and what reaches the SDK's options. */
class WorkerTuningTest {

    @Test
    void valuesNotGivenKeepTheirDefaults() {
        assertEquals(WorkerTuning.DEFAULTS, WorkerTuning.of(null, null, null, null, null, null));
        WorkerTuning t = WorkerTuning.of(null, 50, null, 2, null, null);
        assertEquals(50, t.maxConcurrentActivities());
        assertEquals(2, t.activityPollers());
        assertEquals(WorkerTuning.DEFAULTS.stickyCacheSize(), t.stickyCacheSize());
    }

    @Test
    void zeroOrNegativeIsRefusedNamingTheFieldItsOptionAndVariable() {
        var zero = assertThrows(IllegalArgumentException.class,
                () -> WorkerTuning.of(null, 0, null, null, null, null));
        assertEquals("worker.maxConcurrentActivities (--max-activities, env ROMA_DR_MAX_ACTIVITIES): must be 1 or "
                + "more, got 0", zero.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> WorkerTuning.of(null, null, null, null, null, -3));
        assertTrue(negative.getMessage().startsWith("worker.maxWorkflowThreads (--max-workflow-threads, env "
                + "ROMA_DR_MAX_WORKFLOW_THREADS)"), negative.getMessage());
        var pollers = assertThrows(IllegalArgumentException.class,
                () -> new WorkerTuning(1, 1, 0, 1, 1, 1));
        assertTrue(pollers.getMessage().startsWith("worker.workflowPollers "), pollers.getMessage());
    }

    @Test
    void theValuesReachTheSdksOptions() {
        WorkerTuning t = new WorkerTuning(11, 22, 3, 4, 55, 66);
        WorkerOptions worker = t.applyTo(WorkerOptions.newBuilder()).build();
        assertEquals(11, worker.getMaxConcurrentWorkflowTaskExecutionSize());
        assertEquals(22, worker.getMaxConcurrentActivityExecutionSize());
        assertEquals(3, worker.getMaxConcurrentWorkflowTaskPollers());
        assertEquals(4, worker.getMaxConcurrentActivityTaskPollers());
        WorkerFactoryOptions factory = t.applyTo(WorkerFactoryOptions.newBuilder()).build();
        assertEquals(55, factory.getWorkflowCacheSize());
        assertEquals(66, factory.getMaxWorkflowThreadCount());
        WorkerOptions backups = new WorkerTuning(11, 22, 3, 4, 55, 66, 7, 2).applyToBackups(WorkerOptions
                .newBuilder()).build();
        assertEquals(7, backups.getMaxConcurrentWorkflowTaskExecutionSize());
        assertEquals(7, backups.getMaxConcurrentActivityExecutionSize());
        assertEquals(2, backups.getMaxConcurrentWorkflowTaskPollers());
        assertEquals(2, backups.getMaxConcurrentActivityTaskPollers());
    }

    @Test
    void theBareWorkersOptionsSetTheTuningAndABadOneStopsItBeforeItConnects() {
        WorkerCommand command = new WorkerCommand();
        new CommandLine(command).parseArgs("--max-activities", "40", "--sticky-cache-size", "70",
                "--max-workflow-tasks", "8", "--workflow-pollers", "2", "--activity-pollers", "3",
                "--max-workflow-threads", "90", "--backup-slots", "5", "--backup-pollers", "1");
        assertEquals(new WorkerTuning(8, 40, 2, 3, 70, 90, 5, 1), command.tuning());

        WorkerCommand bad = new WorkerCommand();
        // Nothing listens on the address: the refusal comes before any connection or plan is read.
        int exit = new CommandLine(bad).execute("--address", "127.0.0.1:1", "--plans", "no-such-dir",
                "--workflow-pollers", "0");
        assertEquals(WorkerCommand.INVALID_TUNING, exit);
        var e = assertThrows(IllegalArgumentException.class, bad::tuning);
        assertTrue(e.getMessage().contains("--workflow-pollers"), e.getMessage());
    }
}
