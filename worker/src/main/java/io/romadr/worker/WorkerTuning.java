package io.romadr.worker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * How much one worker carries at once: the worker host's {@code worker:} section, the bare worker's options. A
 * recovery spends most of its life waiting (a wait-healthy poll, a watch window of minutes in one heartbeating
 * activity), so the defaults are sized by how many recoveries wait at once, not by CPU: 500 concurrent Scenario 1
 * recoveries on one worker (docs/benchmarks.md, "Worker capacity").
 *
 * @param maxConcurrentWorkflowTasks workflow tasks run at once (default 200, the SDK's): a task is a short burst of
 *                                   workflow code, so more than this only queues on the CPU
 * @param maxConcurrentActivities    activities run at once, one thread each (default 600): a watching recovery holds
 *                                   one slot for its whole window, so 500 watching recoveries and 100 slots for
 *                                   the steps of the others and the backups. An activity without a slot waits on the
 *                                   server and its schedule-to-start time counts against the RTO
 * @param workflowPollers            long polls for workflow tasks (default 16; the SDK's 5 made each short step of 50
 *                                   recoveries at once wait seconds for a poller: docs/benchmarks.md section 9)
 * @param activityPollers            long polls for activity tasks (default 16, as above)
 * @param stickyCacheSize            workflows kept in memory between tasks (default 600, the SDK's): a run not cached
 *                                   is replayed from its history at its next task, so it covers every running
 *                                   recovery
 * @param maxWorkflowThreads         threads of cached workflows (default 1800, 3 per cached run; the SDK's is 600):
 *                                   a cached recovery parks 2 to 4 (its main thread, the RTO clock, the RTO 50/80%
 *                                   timers when its plan routes those notices) and one per notice in flight, and a
 *                                   worker out of threads evicts cached runs, which then replay
 */
public record WorkerTuning(int maxConcurrentWorkflowTasks, int maxConcurrentActivities, int workflowPollers,
        int activityPollers, int stickyCacheSize, int maxWorkflowThreads) {
    public static final WorkerTuning DEFAULTS = new WorkerTuning(200, 600, 16, 16, 600, 1800);

    /** Each field with the command-line option and environment variable that set it, for error messages. */
    static final String[][] NAMES = {
            {"maxConcurrentWorkflowTasks", "--max-workflow-tasks", "ROMA_DR_MAX_WORKFLOW_TASKS"},
            {"maxConcurrentActivities", "--max-activities", "ROMA_DR_MAX_ACTIVITIES"},
            {"workflowPollers", "--workflow-pollers", "ROMA_DR_WORKFLOW_POLLERS"},
            {"activityPollers", "--activity-pollers", "ROMA_DR_ACTIVITY_POLLERS"},
            {"stickyCacheSize", "--sticky-cache-size", "ROMA_DR_STICKY_CACHE_SIZE"},
            {"maxWorkflowThreads", "--max-workflow-threads", "ROMA_DR_MAX_WORKFLOW_THREADS"},
    };

    /** Refuses a zero or negative value, naming the field (and its option and environment variable). */
    public WorkerTuning {
        int[] values = {maxConcurrentWorkflowTasks, maxConcurrentActivities, workflowPollers, activityPollers,
                stickyCacheSize, maxWorkflowThreads};
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 1) {
                throw new IllegalArgumentException("worker." + NAMES[i][0] + " (" + NAMES[i][1] + ", env "
                        + NAMES[i][2] + "): must be 1 or more, got " + values[i]);
            }
        }
    }

    /** The given values, the default for each one not given (null). */
    @JsonCreator
    public static WorkerTuning of(@JsonProperty("maxConcurrentWorkflowTasks") Integer maxConcurrentWorkflowTasks,
            @JsonProperty("maxConcurrentActivities") Integer maxConcurrentActivities,
            @JsonProperty("workflowPollers") Integer workflowPollers,
            @JsonProperty("activityPollers") Integer activityPollers,
            @JsonProperty("stickyCacheSize") Integer stickyCacheSize,
            @JsonProperty("maxWorkflowThreads") Integer maxWorkflowThreads) {
        WorkerTuning d = DEFAULTS;
        return new WorkerTuning(or(maxConcurrentWorkflowTasks, d.maxConcurrentWorkflowTasks),
                or(maxConcurrentActivities, d.maxConcurrentActivities), or(workflowPollers, d.workflowPollers),
                or(activityPollers, d.activityPollers), or(stickyCacheSize, d.stickyCacheSize),
                or(maxWorkflowThreads, d.maxWorkflowThreads));
    }

    /** The worker's slots and pollers set on {@code options}. */
    WorkerOptions.Builder applyTo(WorkerOptions.Builder options) {
        return options.setMaxConcurrentWorkflowTaskExecutionSize(maxConcurrentWorkflowTasks)
                .setMaxConcurrentActivityExecutionSize(maxConcurrentActivities)
                .setMaxConcurrentWorkflowTaskPollers(workflowPollers)
                .setMaxConcurrentActivityTaskPollers(activityPollers);
    }

    /** The cache of workflows and its threads set on {@code options}. */
    WorkerFactoryOptions.Builder applyTo(WorkerFactoryOptions.Builder options) {
        return options.setWorkflowCacheSize(stickyCacheSize).setMaxWorkflowThreadCount(maxWorkflowThreads);
    }

    /** One line for the start-up log. */
    public String summary() {
        return "workflow-tasks=" + maxConcurrentWorkflowTasks + " activities=" + maxConcurrentActivities
                + " pollers=" + workflowPollers + "/" + activityPollers + " sticky-cache=" + stickyCacheSize
                + " workflow-threads=" + maxWorkflowThreads;
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
